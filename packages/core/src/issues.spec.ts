import { describe, expect, it } from 'vitest';
import { formatIssues, issue, MAX_MESSAGE_LENGTH, MAX_PATH_SEGMENT_LENGTH, printable } from './issues';

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

describe('issue text is bounded', () => {
  it('cuts a long message and long keys in the path, saying how much was cut', () => {
    const i = issue(
      'LOAD_FAILED',
      'dc1',
      ['hosts', 'h'.repeat(50_000_000), 3],
      `threw ${'x'.repeat(100_000_000)}`,
    );
    expect(i.message.length).toBeLessThan(MAX_MESSAGE_LENGTH + 60);
    expect(i.message).toMatch(/^threw x+… \(99996006 more characters cut\)$/);
    expect(i.path).toEqual([
      'hosts',
      `${'h'.repeat(MAX_PATH_SEGMENT_LENGTH)}… (49999744 more characters cut)`,
      3,
    ]);
    expect(formatIssues([i]).length).toBeLessThan(5_000);
  });

  it('leaves text within the bounds as it is', () => {
    const path = ['hosts', 'h'.repeat(MAX_PATH_SEGMENT_LENGTH)];
    const i = issue('LOAD_FAILED', 'dc1', path, 'm'.repeat(MAX_MESSAGE_LENGTH));
    expect(i.path).toBe(path);
    expect(i.message).toBe('m'.repeat(MAX_MESSAGE_LENGTH));
  });
});
