import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toRenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { SymlinkRefusedError } from '@osa-gitops/loader';
import { createWorkspace, type Workspace } from '../test-utils/workspace-fixture';
import { readCommittedTree, siteTreeDir } from './committed-tree';
import { writeSiteTree } from './write-site-tree';

/**
 * Issue 16, item 1: symbolic links committed under environments/ (an untrusted branch run with
 * `npm start` or in CI). Each attack runs the real bin in a real git repository with real links,
 * and asserts that nothing outside the workspace was written, deleted or printed, and that the
 * refusal is a clean message (no stack, no "unexpected error").
 */

// Each case runs the real bin several times (each one loads the site in a worker).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const BIN = path.join(__dirname, '..', '..', 'bin', 'osa-gitops.cjs');
const SECRET = 'secret-outside-do-not-print';

function runBin(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Every file below `dir` (links not followed): relative path → content or `-> target`. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of (await fs.readdir(dir, { recursive: true })).sort()) {
    const abs = path.join(dir, rel);
    const st = await fs.lstat(abs);
    if (st.isSymbolicLink()) out[rel] = `-> ${await fs.readlink(abs)}`;
    else if (st.isFile()) out[rel] = await fs.readFile(abs, 'utf8');
  }
  return out;
}

function expectClean(r: { out: string; err: string }): void {
  const all = r.out + r.err;
  expect(all).not.toMatch(/unexpected error|node:internal|\(.*\.[cm]?[jt]s:\d+:\d+\)/);
  expect(all).not.toContain(SECRET);
}

let ws: Workspace;
let outside: string;
let tree: string;

beforeEach(async () => {
  ws = await createWorkspace();
  await ws.writeSite({ name: 'dc-a', index: 1 });
  expect((await runBin(['render'], ws.root)).code).toBe(0);
  await ws.commit('dc-a rendered');
  tree = siteTreeDir(ws.root, 'dc-a');
  // A folder outside the repository, shaped like a rendered tree, which the attacks aim at.
  outside = await fs.mkdtemp(path.join(path.dirname(ws.root), 'osa-outside-'));
  await fs.mkdir(path.join(outside, 'host_vars'));
  await fs.writeFile(path.join(outside, 'host_vars', 'victim.yml'), `${SECRET}\n`);
  await fs.writeFile(path.join(outside, 'openstack_user_config.yml'), `${SECRET}\n`);
  await fs.writeFile(
    path.join(outside, MANIFEST_FILE),
    JSON.stringify({ generator: 'osa-gitops', site: 'dc-a', files: ['host_vars/victim.yml', MANIFEST_FILE] }),
  );
});
afterEach(async () => {
  await ws[Symbol.asyncDispose]();
  await fs.rm(outside, { recursive: true, force: true });
});

describe('a symbolic link as openstack_deploy itself', () => {
  beforeEach(async () => {
    await fs.rm(tree, { recursive: true });
    await fs.symlink(outside, tree);
  });

  it.each([['render'], ['check'], ['validate'], ['ci']])(
    '%s refuses it cleanly, exits 1 and changes nothing outside',
    async (command) => {
      const before = await snapshot(outside);
      const r = await runBin([command], ws.root);
      expect(r.code).toBe(1);
      expect(r.out + r.err).toContain('environments/dc-a/openstack_deploy is a symbolic link;');
      expectClean(r);
      expect(await snapshot(outside)).toEqual(before);
    },
  );

  it('is refused by the tree reader and writer themselves (library callers, the action)', async () => {
    const before = await snapshot(outside);
    await expect(readCommittedTree(ws.root, 'dc-a')).rejects.toThrow(SymlinkRefusedError);
    const fresh = toRenderedTree([['openstack_user_config.yml', 'x\n']]);
    await expect(writeSiteTree(ws.root, 'dc-a', fresh)).rejects.toThrow(SymlinkRefusedError);
    expect(await snapshot(outside)).toEqual(before);
  });
});

describe('a symbolic link inside the tree', () => {
  it('committed (git mode 120000): validate and ci fail on it with LOAD_FAILED at the link', async () => {
    await fs.rm(path.join(tree, 'host_vars'), { recursive: true });
    await fs.symlink(path.join(outside, 'host_vars'), path.join(tree, 'host_vars'));
    await ws.commit('a link');
    const before = await snapshot(outside);
    for (const command of ['validate', 'ci', 'render', 'check']) {
      const r = await runBin([command, '--json'], ws.root);
      expect(r.code, command).toBe(1);
      expect(r.out + r.err, command).toContain(
        'environments/dc-a/openstack_deploy/host_vars is a symbolic link',
      );
      expectClean(r);
    }
    const json = JSON.parse((await runBin(['validate', '--json'], ws.root)).out) as {
      sites: { site: string; issues: { code: string; file?: string; message: string }[] }[];
    };
    expect(json.sites[0]!.issues).toContainEqual(
      expect.objectContaining({
        code: 'LOAD_FAILED',
        file: 'environments/dc-a/openstack_deploy/host_vars',
        message: expect.stringContaining('mode 120000') as string,
      }),
    );
    expect(await snapshot(outside)).toEqual(before);
  });

  it('not committed: render and check refuse it on disk, deleting and printing nothing', async () => {
    // A render that followed the link would write the site's host_vars files into
    // outside/host_vars/, and check would diff against what it finds there.
    await fs.rm(path.join(tree, 'host_vars'), { recursive: true });
    await fs.symlink(path.join(outside, 'host_vars'), path.join(tree, 'host_vars'));
    const before = await snapshot(outside);
    for (const command of ['render', 'check']) {
      const r = await runBin([command], ws.root);
      expect(r.code, command).toBe(1);
      expect(r.err, command).toContain('environments/dc-a/openstack_deploy/host_vars is a symbolic link;');
      expectClean(r);
    }
    expect(await snapshot(outside)).toEqual(before);
  });

  it('a linked file is never read (check would print its contents in a diff)', async () => {
    const file = path.join(tree, 'openstack_user_config.yml');
    await fs.rm(file);
    await fs.symlink(path.join(outside, 'openstack_user_config.yml'), file);
    const r = await runBin(['check'], ws.root);
    expect(r.code).toBe(1);
    expect(r.err).toContain('openstack_user_config.yml is a symbolic link;');
    expectClean(r);
  });
});

describe('links elsewhere under environments/', () => {
  it('a committed link no command reads (environments/_shared) still fails validate', async () => {
    await fs.mkdir(path.join(ws.root, 'environments', '_shared'));
    await fs.symlink('/etc/hostname', path.join(ws.root, 'environments', '_shared', 'innocent.ts'));
    await ws.commit('a link in shared');
    const r = await runBin(['validate', '--json'], ws.root);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { fleetIssues: { code: string; site: string; file?: string }[] };
    expect(json.fleetIssues).toContainEqual(
      expect.objectContaining({ code: 'LOAD_FAILED', site: '*', file: 'environments/_shared/innocent.ts' }),
    );
  });

  it('environments/ itself as a link: a clean refusal, not an empty green run', async () => {
    await fs.rename(path.join(ws.root, 'environments'), path.join(outside, 'environments'));
    await fs.symlink(path.join(outside, 'environments'), path.join(ws.root, 'environments'));
    const before = await snapshot(outside);
    for (const command of ['validate', 'render', 'check', 'ci']) {
      const r = await runBin([command], ws.root);
      expect(r.code, command).toBe(1);
      expect(r.err, command).toContain('environments is a symbolic link;');
      expectClean(r);
    }
    expect(await snapshot(outside)).toEqual(before);
  });

  it('writeSiteTree re-checks parents right before writing (a link swapped in after the read)', async () => {
    const current = await readCommittedTree(ws.root, 'dc-a');
    const next = toRenderedTree([
      ...[...current].map(([p, t]) => [p, p === MANIFEST_FILE ? t : `${t}# changed\n`] as const),
    ]);
    // Simulate the race: the tree was read clean; host_vars becomes a link before the writes.
    const hostVars = path.join(tree, 'host_vars');
    await fs.rm(hostVars, { recursive: true });
    await fs.symlink(path.join(outside, 'host_vars'), hostVars);
    const before = await snapshot(outside);
    await expect(writeSiteTree(ws.root, 'dc-a', next)).rejects.toThrow(SymlinkRefusedError);
    expect(await snapshot(outside)).toEqual(before);
  });
});
