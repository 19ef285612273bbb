import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '@osa-gitops/core';

// docs/validation-rules.md is written by hand; this keeps it in step with the code registry.
const doc = readFileSync(join(__dirname, '../../../docs/validation-rules.md'), 'utf8');

describe('docs/validation-rules.md', () => {
  it.each(Object.entries(ISSUE_CODES))('lists %s with its severity', (code, [severity]) => {
    expect(doc).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|\\s*${severity}\\s*\\|`, 'm'));
  });
});
