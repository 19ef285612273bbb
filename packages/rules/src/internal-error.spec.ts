import { describe, expect, it, vi } from 'vitest';
import { guideInput } from '@osa-gitops/core';
import { validateEnvironment } from './validate-environment';

// The failing fixture of INTERNAL_ERROR: no definition can make a correct rule throw, so a rule is
// replaced by one that does (a stand-in for a future bug), and validation must still answer.
vi.mock('./keepalived', () => ({
  checkKeepalived: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'id')");
  },
}));

describe('INTERNAL_ERROR', () => {
  it('reports a rule that throws as its own code, not as a shape error, and fails the site', () => {
    const result = validateEnvironment(guideInput(), { site: 'guide' });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          code: 'INTERNAL_ERROR',
          severity: 'error',
          site: 'guide',
          path: [],
          message:
            "validation failed internally (Cannot read properties of undefined (reading 'id')); expected every rule to finish: please report this with the definition",
        },
      ],
    });
  });
});
