import { describe, expect, it } from 'vitest';
import { nestedKeys, topLevelKeys } from './yaml-keys';

describe('topLevelKeys', () => {
  it('lists the keys of a mapping, never the values', () => {
    expect(topLevelKeys('a: 1\nb:\n  c: secret\n')).toEqual(['a', 'b']);
  });

  it('treats an empty file as setting nothing', () => {
    expect(topLevelKeys('# only a comment\n')).toEqual([]);
  });

  it('reads vault-tagged values (the keys still count)', () => {
    expect(topLevelKeys('db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n')).toEqual([
      'db_password',
    ]);
  });

  it('returns undefined for a whole-file vault blob, a list, or broken YAML', () => {
    expect(topLevelKeys('$ANSIBLE_VAULT;1.1;AES256\n61626364\n')).toBeUndefined();
    expect(topLevelKeys('- a\n- b\n')).toBeUndefined();
    expect(topLevelKeys('a: [\n')).toBeUndefined();
  });
});

describe('nestedKeys', () => {
  it('lists the keys under a top-level mapping', () => {
    expect(nestedKeys('global_overrides:\n  x: 1\n  y: 2\nother: 3\n', 'global_overrides')).toEqual([
      'x',
      'y',
    ]);
    expect(nestedKeys('other: 3\n', 'global_overrides')).toEqual([]);
  });
});
