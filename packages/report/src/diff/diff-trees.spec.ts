import { describe, expect, it } from 'vitest';
import { toRenderedTree } from '@osa-gitops/core';
import { diffTrees } from './diff-trees';

describe('diffTrees', () => {
  it('lists added, changed and removed files sorted, with unified diffs and counts', () => {
    const before = toRenderedTree([
      ['b.yml', 'x: 1\n'],
      ['c.yml', 'gone: true\n'],
      ['same.yml', 'a\n'],
    ]);
    const after = toRenderedTree([
      ['a.yml', 'new: 1\n'],
      ['b.yml', 'x: 2\n'],
      ['same.yml', 'a\n'],
    ]);
    const diff = diffTrees(before, after);
    expect(diff.differenceCount).toBe(3);
    expect(diff.files.map((f) => [f.path, f.kind, f.additions, f.deletions])).toEqual([
      ['a.yml', 'added', 1, 0],
      ['b.yml', 'changed', 1, 1],
      ['c.yml', 'removed', 0, 1],
    ]);
    expect(diff.files[1]!.patch).toBe('--- a/b.yml\n+++ b/b.yml\n@@ -1,1 +1,1 @@\n-x: 1\n+x: 2\n');
    expect(diff.files[0]!.patch.split('\n').slice(0, 2)).toEqual(['--- /dev/null', '+++ b/a.yml']);
  });

  it('is empty for equal trees', () => {
    const t = toRenderedTree([['a', 'b\n']]);
    expect(diffTrees(t, t)).toEqual({ files: [], differenceCount: 0 });
  });
});
