import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deploySite } from './deploy-site';
import { nodeDeployFs, type DeployFs } from './deploy-fs';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import {
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  siteTree,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';
import { requireTrustedOsaDir, requireTrustedPath } from './trusted-path';

/**
 * Issue 26, item 4: a symlinked config dir was followed, and the openstack-ansible checkout
 * (playbooks, working directory, inventory script) got only an existence check. Every directory on
 * the way to either is now checked: no link, owned by root or the deploying user, not group- or
 * world-writable (a sticky one such as /tmp excepted when the next entry is trusted), and every
 * entry of the checkout's code folders likewise.
 */
afterAll(removeTempDirs);

const uid = process.getuid?.() ?? 0;

/** lstat as the real one, but `owner` for the given paths (tests run as root or as one user). */
function ownedBy(paths: Record<string, number>): DeployFs {
  return {
    ...nodeDeployFs,
    async lstat(p) {
      const stats = await nodeDeployFs.lstat(p);
      const owner = paths[p];
      return owner === undefined
        ? stats
        : Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as fs.Stats, stats, {
            uid: owner,
          });
    },
  };
}

describe('requireTrustedPath', () => {
  it('accepts a private directory below a sticky /tmp, and refuses the same path through a link', async () => {
    const base = tempDir('trust');
    const real = path.join(base, 'openstack_deploy');
    fs.mkdirSync(real, { mode: 0o755 });
    await expect(requireTrustedPath(nodeDeployFs, real, 'the config dir')).resolves.toBeUndefined();
    const link = path.join(base, 'linked');
    fs.symlinkSync(real, link);
    await expect(requireTrustedPath(nodeDeployFs, link, 'the config dir')).rejects.toThrow(
      `the config dir ${link} is a symbolic link; refusing to follow it`,
    );
    // A link on the way is refused the same way, naming where it is.
    await expect(requireTrustedPath(nodeDeployFs, path.join(link, 'x'), 'the config dir')).rejects.toThrow(
      `${link}, on the way to the config dir ${path.join(link, 'x')}, is a symbolic link`,
    );
  });

  it('refuses a group- or world-writable directory on the way unless it is sticky, and the target itself', async () => {
    const base = tempDir('trust');
    const open = path.join(base, 'open');
    const target = path.join(open, 'openstack_deploy');
    fs.mkdirSync(target, { recursive: true, mode: 0o755 });
    fs.chmodSync(open, 0o775);
    await expect(requireTrustedPath(nodeDeployFs, target, 'the config dir')).rejects.toThrow(
      `${open}, on the way to the config dir ${target}, is group- or world-writable (mode 0775) and not sticky`,
    );
    fs.chmodSync(open, 0o1777);
    await expect(requireTrustedPath(nodeDeployFs, target, 'the config dir')).resolves.toBeUndefined();
    fs.chmodSync(target, 0o1777);
    await expect(requireTrustedPath(nodeDeployFs, target, 'the config dir')).rejects.toThrow(
      `the config dir ${target} is group- or world-writable (mode 1777)`,
    );
  });

  it('refuses a directory on the way owned by another user, and accepts root or the deploying user', async () => {
    const base = tempDir('trust');
    const mid = path.join(base, 'mid');
    const target = path.join(mid, 'openstack_deploy');
    fs.mkdirSync(target, { recursive: true });
    await expect(
      requireTrustedPath(ownedBy({ [mid]: 12345 }), target, 'the config dir', { uid }),
    ).rejects.toThrow(
      `${mid}, on the way to the config dir ${target}, is owned by uid 12345, neither root nor the deploying user (uid ${uid})`,
    );
    await expect(
      requireTrustedPath(ownedBy({ [target]: 777 }), target, 'the config dir', { uid: 4242 }),
    ).rejects.toThrow(
      `the config dir ${target} is owned by uid 777, neither root nor the deploying user (uid 4242)`,
    );
    // Root, or the deploying user, may own any of them.
    await expect(
      requireTrustedPath(ownedBy({ [base]: 0, [mid]: 4242, [target]: 4242 }), target, 'the config dir', {
        uid: 4242,
      }),
    ).resolves.toBeUndefined();
  });
});

describe('requireTrustedOsaDir', () => {
  it('refuses a link, a writable file or a foreign file among the playbooks and the inventory script', async () => {
    const osa = makeOsaDir();
    await expect(requireTrustedOsaDir(nodeDeployFs, osa, 'the checkout')).resolves.toBeUndefined();
    const playbook = fs.readdirSync(path.join(osa, 'playbooks'))[0]!;
    const file = path.join(osa, 'playbooks', playbook);

    fs.chmodSync(file, 0o666);
    await expect(requireTrustedOsaDir(nodeDeployFs, osa, 'the checkout')).rejects.toThrow(
      `${file}, in the checkout (playbooks/), is group- or world-writable (mode 0666)`,
    );
    fs.chmodSync(file, 0o644);
    await expect(
      requireTrustedOsaDir(ownedBy({ [file]: 12345 }), osa, 'the checkout', { uid }),
    ).rejects.toThrow(`${file}, in the checkout (playbooks/), is owned by uid 12345`);
    const linked = path.join(osa, 'playbooks', 'linked.yml');
    fs.symlinkSync(file, linked);
    await expect(requireTrustedOsaDir(nodeDeployFs, osa, 'the checkout')).rejects.toThrow(
      `${linked}, in the checkout (playbooks/), is a symbolic link`,
    );
  });
});

describe('deploy refuses an untrusted config dir or checkout before changing anything', () => {
  it('a symlinked config dir, and a checkout whose playbooks another user can write', async () => {
    const configDir = makeConfigDir();
    const before = snapshot(configDir);
    const link = path.join(path.dirname(configDir), 'linked-config');
    fs.symlinkSync(configDir, link);
    const osaDir = makeOsaDir({ inventoryCheck: false });
    await expect(deploySite(stubDeployOptions(link, osaDir, siteTree(1), stubRecord()))).rejects.toThrow(
      `the OSA config dir (--config-dir) ${link} is a symbolic link`,
    );
    await expect(
      deploySite({ ...stubDeployOptions(link, osaDir, siteTree(1), stubRecord()), dryRun: true }),
    ).rejects.toThrow(/is a symbolic link/);

    fs.chmodSync(path.join(osaDir, 'playbooks'), 0o777);
    await expect(deploySite(stubDeployOptions(configDir, osaDir, siteTree(1), stubRecord()))).rejects.toThrow(
      `the openstack-ansible checkout (--osa-dir)'s playbooks/ ${path.join(osaDir, 'playbooks')} is group- or world-writable (mode 0777)`,
    );
    expect(snapshot(configDir)).toEqual(before);
    fs.chmodSync(path.join(osaDir, 'playbooks'), 0o755);
    expect(await deploySite(stubDeployOptions(configDir, osaDir, siteTree(1), stubRecord()))).toBe(0);
  });
});
