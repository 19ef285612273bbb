import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, renderManifest } from './manifest';
import { findStaleTreeFiles } from './stale-files';
import { toRenderedTree } from '@osa-gitops/core';

const fresh = toRenderedTree([
  ['a.yml', 'a: 2\n'],
  ['b.yml', 'b: 1\n'],
  ['new.yml', 'n: 1\n'],
  [MANIFEST_FILE, renderManifest('lab', ['a.yml', 'b.yml', 'new.yml'])],
]);

describe('findStaleTreeFiles', () => {
  it('is empty when the committed tree equals the render', () => {
    expect(findStaleTreeFiles(fresh, fresh)).toEqual([]);
  });

  it('reports changed, missing and owned orphan files, sorted; ignores unowned and already deleted files', () => {
    const committed = new Map([
      ['a.yml', 'a: 1\n'],
      ['b.yml', 'b: 1\n'],
      ['gone.yml', 'g: 1\n'],
      ['operator.yml', 'mine: 1\n'],
      [MANIFEST_FILE, renderManifest('lab', ['a.yml', 'b.yml', 'gone.yml', 'deleted-already.yml'])],
    ]);
    expect(findStaleTreeFiles(committed, fresh)).toEqual([
      { path: 'a.yml', kind: 'changed', committed: 'a: 1\n', rendered: 'a: 2\n' },
      { path: 'gone.yml', kind: 'orphan', committed: 'g: 1\n', rendered: undefined },
      { path: 'new.yml', kind: 'missing', committed: undefined, rendered: 'n: 1\n' },
      {
        path: MANIFEST_FILE,
        kind: 'changed',
        committed: committed.get(MANIFEST_FILE),
        rendered: fresh.get(MANIFEST_FILE),
      },
    ]);
  });

  it('without a committed manifest nothing is an orphan', () => {
    const committed = new Map([
      ['a.yml', 'a: 2\n'],
      ['b.yml', 'b: 1\n'],
      ['new.yml', 'n: 1\n'],
      ['old.yml', 'o: 1\n'],
    ]);
    expect(findStaleTreeFiles(committed, fresh).map((f) => [f.path, f.kind])).toEqual([
      [MANIFEST_FILE, 'missing'],
    ]);
  });
});
