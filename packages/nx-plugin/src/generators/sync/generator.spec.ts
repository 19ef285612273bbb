import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { SyncError } from 'nx/src/utils/sync-generators';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyEnvironmentSources } from '../../testing/environment-fixtures';
import { renderGenerator } from '../render/generator';
import { syncGenerator } from './generator';

const DEPLOY = 'environments/guide-lab/openstack_deploy';
// Issues are located with the TypeScript compiler, loaded on the first one (seconds on a busy
// machine): loaded once here so no single test's budget carries it.
beforeAll(() => import('typescript'), 120_000);
const USER_VARS = `${DEPLOY}/user_variables_haproxy_lxc.yml`;

describe('sync generator', () => {
  let tree: Tree;
  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    copyEnvironmentSources(tree, ['guide-lab']);
    await renderGenerator(tree, {});
  });

  it('reports nothing when the committed trees are current', async () => {
    expect(await syncGenerator(tree)).toBeUndefined();
  });

  it('reports a hand-edited file as stale with a diff, and restores it', async () => {
    const rendered = tree.read(USER_VARS, 'utf-8')!;
    const lines = rendered.split('\n');
    const victim = lines.findIndex((l) => /^haproxy_/.test(l));
    const edited = [...lines];
    edited[victim] = `${lines[victim]} # hand edit`;
    tree.write(USER_VARS, edited.join('\n'));

    const result = await syncGenerator(tree);
    expect(result).toMatchObject({ outOfSyncMessage: expect.stringContaining('1 rendered file(s)') });
    const details = (result && result.outOfSyncDetails) ?? [];
    expect(details[0]).toBe(`${USER_VARS}: differs from a fresh render`);
    expect(details).toContain(`    -${edited[victim]}`);
    expect(details).toContain(`    +${lines[victim]}`);
    expect(tree.read(USER_VARS, 'utf-8')).toBe(rendered);
  });

  it('reports a deleted file as missing and an orphan from the manifest as to be deleted', async () => {
    tree.delete(USER_VARS);
    const manifestPath = `${DEPLOY}/osa-gitops-manifest.json`;
    const manifest = JSON.parse(tree.read(manifestPath, 'utf-8')!) as { files: string[] };
    tree.write(
      manifestPath,
      `${JSON.stringify({ ...manifest, files: [...manifest.files, 'old.yml'].sort() }, null, 2)}\n`,
    );
    tree.write(`${DEPLOY}/old.yml`, 'x: 1\n');

    const details = ((await syncGenerator(tree)) || {}).outOfSyncDetails ?? [];
    const headlines = details.filter((l) => !l.startsWith(' '));
    expect(headlines).toEqual([
      `${DEPLOY}/old.yml: no longer rendered (listed in the previous manifest), would be deleted`,
      `${DEPLOY}/osa-gitops-manifest.json: differs from a fresh render`,
      `${USER_VARS}: rendered but not committed`,
    ]);
  });

  it('fails with a SyncError listing the issues when a definition is invalid', async () => {
    const text = tree.read('environments/guide-lab/environment.ts', 'utf-8')!;
    tree.write('environments/guide-lab/environment.ts', text.replace('vlan: 40', 'vlan: 5000'));
    const err = await syncGenerator(tree).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).bodyLines?.join('\n')).toMatch(/guide-lab .*VLAN_ID_RANGE/);
  });
});
