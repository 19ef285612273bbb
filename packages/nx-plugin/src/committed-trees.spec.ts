import { FsTree } from 'nx/src/generators/tree';
import { describe, expect, it } from 'vitest';
import { syncGenerator } from './generators/sync/generator';
import { WORKSPACE_ROOT } from './testing/environment-fixtures';

/**
 * The drift gate of `npm test` (and so of CI): every committed `environments/<site>/openstack_deploy/`
 * must equal a fresh render of its definition. Runs the sync generator against the real workspace
 * through an FsTree that is never flushed, so the check itself changes nothing on disk.
 * Fix a failure with `npx nx sync` (or the render generator) and commit the result.
 */
describe('committed site trees', () => {
  it('are current (equal to a fresh render)', async () => {
    const result = await syncGenerator(new FsTree(WORKSPACE_ROOT, false, 'drift check'));
    const details = (result && result.outOfSyncDetails) || [];
    expect(details, (result && result.outOfSyncMessage) || '').toEqual([]);
  }, 60_000);
});
