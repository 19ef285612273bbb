import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { flushChanges, FsTree } from 'nx/src/generators/tree';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyEnvironmentSources } from '../testing/environment-fixtures';
import { renderGenerator } from './render/generator';
import { siteGenerator } from './site/generator';
import { syncGenerator } from './sync/generator';

/**
 * Symbolic links under environments/ on a real disk (FsTree reads and writes through links): the
 * generators refuse them and nothing outside the workspace is written, deleted or read into a
 * diff (SECURITY.md, "Symbolic links under environments/").
 */
describe('generators refuse symbolic links under environments/', () => {
  let tmp: string;
  let root: string;
  let outside: string;
  const DEPLOY = 'environments/guide-lab/openstack_deploy';

  /** Names and contents of every file below `dir`. */
  const snapshot = (dir: string): Record<string, string> =>
    Object.fromEntries(
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((p) => fs.lstatSync(path.join(dir, p)).isFile())
        .sort()
        .map((p) => [p, fs.readFileSync(path.join(dir, p), 'utf8')]),
    );

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osa-nx-links-'));
    root = path.join(tmp, 'ws');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(path.join(outside, 'host_vars'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'host_vars', 'victim.yml'), 'victim: true\n');
    fs.writeFileSync(path.join(outside, 'openstack_user_config.yml'), 'secret: do-not-print\n');
    const source = new FsTree(root, false);
    copyEnvironmentSources(source, ['guide-lab']);
    flushChanges(root, source.listChanges());
    const first = new FsTree(root, false);
    await renderGenerator(first, {});
    flushChanges(root, first.listChanges());
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('render refuses a linked folder inside the tree and writes nothing through it', async () => {
    fs.rmSync(path.join(root, DEPLOY, 'host_vars'), { recursive: true, force: true });
    fs.symlinkSync(path.join(outside, 'host_vars'), path.join(root, DEPLOY, 'host_vars'));
    const before = snapshot(outside);
    const tree = new FsTree(root, false);
    await expect(renderGenerator(tree, {})).rejects.toThrow(
      /environments\/guide-lab\/openstack_deploy\/host_vars is a symbolic link;/,
    );
    expect(tree.listChanges()).toEqual([]);
    expect(snapshot(outside)).toEqual(before);
  });

  it('render and sync refuse openstack_deploy itself as a link, without printing what it points at', async () => {
    fs.rmSync(path.join(root, DEPLOY), { recursive: true, force: true });
    fs.symlinkSync(outside, path.join(root, DEPLOY));
    const before = snapshot(outside);
    const tree = new FsTree(root, false);
    const error = await renderGenerator(tree, {}).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    expect(error).toMatch(/openstack_deploy is a symbolic link;/);
    expect(error).not.toContain('do-not-print');
    const sync = await syncGenerator(new FsTree(root, false)).then(
      () => 'no error',
      (e: Error) => `${e.message}\n${JSON.stringify(e)}`,
    );
    expect(sync).toMatch(/symbolic link/);
    expect(sync).not.toContain('do-not-print');
    expect(tree.listChanges()).toEqual([]);
    expect(snapshot(outside)).toEqual(before);
  });

  it('site refuses to scaffold into a linked environments/ folder', async () => {
    fs.renameSync(path.join(root, 'environments'), path.join(tmp, 'real-environments'));
    fs.symlinkSync(path.join(tmp, 'real-environments'), path.join(root, 'environments'));
    const tree = new FsTree(root, false);
    await expect(siteGenerator(tree, { name: 'dc-new' })).rejects.toThrow(
      /^environments is a symbolic link;/,
    );
    expect(tree.listChanges()).toEqual([]);
  });
});
