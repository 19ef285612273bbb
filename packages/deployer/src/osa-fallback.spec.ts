import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeDeployFs } from './deploy-fs';
import { checkOsaFallback } from './osa-fallback';
import { checkUnownedOverrides } from './preflight';

let tmp: string;
let config: string;
let fallback: string;

beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'osa-fallback-'));
  config = path.join(tmp, 'site-config');
  fallback = path.join(tmp, 'etc-openstack_deploy');
  await fsp.mkdir(config);
  await fsp.mkdir(fallback);
});

afterEach(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe("OSA's fallback to /etc/openstack_deploy during the real run", () => {
  it('refuses when conf.d or the inventory is missing here but present in the fallback dir', async () => {
    await fsp.mkdir(path.join(fallback, 'conf.d'));
    await fsp.writeFile(path.join(fallback, 'openstack_inventory.json'), '{}');
    const findings = await checkOsaFallback(nodeDeployFs, config, fallback);
    expect(findings.map((f) => [f.severity, f.file])).toEqual([
      ['error', 'conf.d'],
      ['error', 'openstack_inventory.json'],
    ]);
    expect(findings[0]!.message).toContain('Create an empty conf.d/');
  });

  it('is quiet when the config dir has its own, when the fallback has none, or when they are one dir', async () => {
    await fsp.mkdir(path.join(fallback, 'conf.d'));
    expect(await checkOsaFallback(nodeDeployFs, fallback, fallback)).toEqual([]);
    await fsp.mkdir(path.join(config, 'conf.d'));
    expect(await checkOsaFallback(nodeDeployFs, config, fallback)).toEqual([]);
    expect(await checkOsaFallback(nodeDeployFs, config, path.join(tmp, 'absent'))).toEqual([]);
  });

  it('is part of the deploy preflight', async () => {
    await fsp.mkdir(path.join(fallback, 'conf.d'));
    const findings = await checkUnownedOverrides(nodeDeployFs, config, new Map(), undefined, fallback);
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'error', file: 'conf.d' }));
  });
});
