import { describe, expect, it } from 'vitest';
import { formatIssues, issue, printable } from './issues';

describe('issue text is printable', () => {
  it('escapes controls, separators and bidi characters, so output cannot forge CI commands', () => {
    const forged = 'boom\n::error file=README.md,line=1::forged\u001b[2J\u202e';
    const i = issue('LOAD_FAILED', 'dc1', [], forged);
    expect(i.message).toBe('boom\\u000A::error file=README.md,line=1::forged\\u001B[2J\\u202E');
    expect(formatIssues([i]).split('\n')).toHaveLength(1);
  });

  it('escapes the site name too (folder names come from the file system)', () => {
    expect(issue('NAME_INVALID', 'a\nb', [], 'm').site).toBe('a\\u000Ab');
  });

  it('leaves ordinary text, including non-ASCII letters, alone', () => {
    expect(printable('VIP 203.0.113.140 is not inside public_api — café')).toBe(
      'VIP 203.0.113.140 is not inside public_api — café',
    );
  });
});
