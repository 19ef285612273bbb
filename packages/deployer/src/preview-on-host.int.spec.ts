import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentSchema, type EnvironmentInput, type RenderedTree } from '@osa-gitops/core';
import { addressInCidr, renderEnvironment } from '@osa-gitops/render';
import guideLab from '../../../environments/guide-lab/environment';
import { nodeDeployFs } from './deploy-fs';
import { PREVIEW_GENERATOR_PY, previewOnHost } from './preview-on-host';
import { makeConfigDir, removeTempDirs, snapshot, tempDir, writeFiles } from './test-fixtures/fixture';

afterAll(removeTempDirs);

const PYTHON = '/usr/bin/python3';
const render = (input: EnvironmentInput): RenderedTree => renderEnvironment(EnvironmentSchema.parse(input));
const GUIDE = render(guideLab);

/**
 * A stand-in `osa_toolkit/generate.py` (a real Python process, not OSA): it proves what the copy
 * holds (the synced tree and the real inventory, but not the operator's secrets) and adds one
 * container to the inventory it is given, writing it back into its --config dir as OSA does.
 */
const STAND_IN = `import json, os
def generate(config, check, debug, environment):
    assert not os.path.exists(os.path.join(config, 'user_secrets.yml')), 'secrets were copied'
    with open(os.path.join(config, 'openstack_user_config.yml')) as f:
        assert 'public_api' in f.read(), 'the tree was not synced into the copy'
    path = os.path.join(config, 'openstack_inventory.json')
    inv = json.load(open(path)) if os.path.exists(path) else {'_meta': {'hostvars': {}}}
    name = 'infra1-haproxy-container-0badc0de'
    inv['_meta']['hostvars'][name] = {'physical_host': 'infra1', 'component': 'haproxy',
        'properties': {'is_metal': False}, 'container_networks': {'public_api_address':
        {'address': '203.0.113.131', 'bridge': 'br-public-api', 'interface': 'eth20'}}}
    inv.setdefault('haproxy', {'hosts': []})['hosts'].append(name)
    with open(path, 'w') as f:
        json.dump(inv, f)
    return json.dumps(inv)
`;

function standInOsaDir(): string {
  const dir = tempDir('osa-stand-in');
  writeFiles(dir, {
    'osa_toolkit/__init__.py': '',
    'osa_toolkit/generate.py': STAND_IN,
    'inventory/env.d/.keep': '',
  });
  return dir;
}

describe('previewOnHost with a stand-in generator', () => {
  it('runs the generator on a copy with the tree and the real inventory; the live dir is only read', async () => {
    const configDir = makeConfigDir();
    const before = snapshot(configDir, { includeState: true });
    const r = await previewOnHost({
      site: 'guide-lab',
      fs: nodeDeployFs,
      configDir,
      osaDir: standInOsaDir(),
      python: PYTHON,
      tree: GUIDE,
      env: { PATH: process.env.PATH },
    });
    expect(r.ran).toBe(true);
    if (!r.ran) return;
    expect(r.preview.fromEmpty).toBe(false);
    expect(r.preview.containersAdded.map((c) => `${c.name} ${c.interfaces[0]!.address}`)).toEqual([
      'infra1-haproxy-container-0badc0de 203.0.113.131',
    ]);
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
  });

  it('says why there is no preview without an openstack-ansible checkout', async () => {
    const r = await previewOnHost({
      site: 'guide-lab',
      fs: nodeDeployFs,
      configDir: makeConfigDir(),
      osaDir: tempDir('not-osa'),
      python: PYTHON,
      tree: GUIDE,
      env: {},
    });
    expect(r).toEqual({
      ran: false,
      reason: expect.stringMatching(/osa_toolkit\/generate\.py does not exist/),
    });
  });

  it("fails with the generator's own message when it rejects the copy", async () => {
    const osaDir = standInOsaDir();
    fs.writeFileSync(
      path.join(osaDir, 'osa_toolkit/generate.py'),
      "def generate(**kw):\n    raise SystemExit('No container CIDR specified in user config')\n",
    );
    await expect(
      previewOnHost({
        site: 'guide-lab',
        fs: nodeDeployFs,
        configDir: makeConfigDir(),
        osaDir,
        python: PYTHON,
        tree: GUIDE,
        env: {},
      }),
    ).rejects.toThrow(/No container CIDR specified in user config/);
  });
});

const SRC = process.env.OSA_INVENTORY_SRC ?? '';
const AVAILABLE =
  SRC !== '' &&
  fs.existsSync(path.join(SRC, 'osa_toolkit', 'generate.py')) &&
  !fs.existsSync('/etc/openstack_deploy');

/** An OSA dir whose inventory/ and osa_toolkit/ are copies of the real ones (no links: trusted-path.ts). */
function realOsaDir(): string {
  const dir = path.join(tempDir('osa-real'), 'openstack-ansible');
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(SRC, 'inventory'), path.join(dir, 'inventory'), { recursive: true });
  fs.cpSync(path.join(SRC, 'osa_toolkit'), path.join(dir, 'osa_toolkit'), { recursive: true });
  return dir;
}

/** A config dir whose openstack_inventory.json is what OSA generated for `tree` (a deployed site). */
function deployedConfigDir(tree: RenderedTree, osaDir: string): string {
  const configDir = makeConfigDir();
  fs.rmSync(path.join(configDir, 'openstack_inventory.json'));
  const work = tempDir('seed-inventory');
  const copy = path.join(work, 'copy');
  writeFiles(copy, Object.fromEntries([...tree].filter(([p]) => p.endsWith('.yml'))));
  fs.mkdirSync(path.join(copy, 'conf.d'), { recursive: true });
  fs.mkdirSync(path.join(copy, 'env.d'), { recursive: true });
  fs.writeFileSync(path.join(work, 'gen.py'), PREVIEW_GENERATOR_PY);
  const out = execFileSync(PYTHON, [path.join(work, 'gen.py'), osaDir, copy, 'seed'], {
    cwd: work,
    env: { PATH: '/usr/bin:/bin' },
  });
  fs.writeFileSync(path.join(configDir, 'openstack_inventory.json'), out);
  return configDir;
}

describe.skipIf(!AVAILABLE)(
  `previewOnHost with OSA's real generator${AVAILABLE ? '' : ' [SKIPPED: set OSA_INVENTORY_SRC to an extracted openstack-ansible checkout]'}`,
  { timeout: 120_000 },
  () => {
    const preview = (configDir: string, tree: RenderedTree, osaDir: string) =>
      previewOnHost({
        site: 'guide-lab',
        fs: nodeDeployFs,
        configDir,
        osaDir,
        python: PYTHON,
        tree,
        env: { PATH: '/usr/bin:/bin' },
      });

    it('on an empty inventory: every haproxy container is new, its public address in the pool', async () => {
      const configDir = makeConfigDir();
      fs.rmSync(path.join(configDir, 'openstack_inventory.json'));
      const r = await preview(configDir, GUIDE, realOsaDir());
      if (!r.ran) throw new Error(r.reason);
      expect(r.preview.fromEmpty).toBe(true);
      const haproxy = r.preview.containersAdded.filter((c) => c.component === 'haproxy');
      expect(haproxy.map((c) => c.physicalHost)).toEqual(['infra1', 'infra2', 'infra3']);
      for (const c of haproxy) {
        const eth20 = c.interfaces.find((i) => i.interface === 'eth20')!;
        expect(addressInCidr(eth20.address!, '203.0.113.128/28')).toBe(true);
        expect([
          '203.0.113.128',
          '203.0.113.129',
          '203.0.113.140',
          '203.0.113.141',
          '203.0.113.142',
          '203.0.113.143',
        ]).not.toContain(eth20.address);
      }
      expect(r.preview.staleAddresses).toEqual([]);
      // Seeded: the same change previews the same draw.
      const again = await preview(configDir, GUIDE, realOsaDir());
      expect(again).toEqual(r);
    });

    it('with existing containers: a new host gets exactly one new container, the others keep theirs', async () => {
      const osaDir = realOsaDir();
      const configDir = deployedConfigDir(GUIDE, osaDir);
      const withInfra4 = render({
        ...guideLab,
        hosts: {
          ...guideLab.hosts,
          infra4: {
            ip: '172.29.236.14',
            groups: guideLab.hosts.infra1!.groups,
            bondMembers: { ens3: 'd2:25:83:e1:7a:c8', ens6: 'd2:25:83:e1:7a:c9' },
          },
        },
      });
      const r = await preview(configDir, withInfra4, osaDir);
      if (!r.ran) throw new Error(r.reason);
      expect(r.preview.fromEmpty).toBe(false);
      expect(
        r.preview.containersAdded.filter((c) => c.component === 'haproxy').map((c) => c.physicalHost),
      ).toEqual(['infra4']);
      expect(r.preview.containersChanged).toEqual([]);
      expect(r.preview.metalAdded).toContain('infra4');
      expect(r.preview.groupsChanged.find((g) => g.group === 'haproxy')?.added).toHaveLength(1);
    });

    it('with existing containers: a moved public network leaves their old addresses, and the preview says so', async () => {
      const osaDir = realOsaDir();
      const configDir = deployedConfigDir(GUIDE, osaDir);
      const moved = render({
        ...guideLab,
        networks: { ...guideLab.networks, public_api: '198.51.100.128/28' },
        reserved: { ...guideLab.reserved, public_api: ['198.51.100.140-198.51.100.142'] },
        haproxy: {
          ...guideLab.haproxy,
          publicNetwork: { ...guideLab.haproxy.publicNetwork, gateway: '198.51.100.129' },
          vips: { ...guideLab.haproxy.vips, external: '198.51.100.140' },
        },
      });
      const r = await preview(configDir, moved, osaDir);
      if (!r.ran) throw new Error(r.reason);
      expect(r.preview.containersAdded).toEqual([]);
      expect(r.preview.staleAddresses.map((s) => [s.interface, s.network, s.cidr])).toEqual([
        ['eth20', 'public_api', '198.51.100.128/28'],
        ['eth20', 'public_api', '198.51.100.128/28'],
        ['eth20', 'public_api', '198.51.100.128/28'],
      ]);
      for (const s of r.preview.staleAddresses)
        expect(addressInCidr(s.address, '203.0.113.128/28')).toBe(true);
    });
  },
);
