import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type EnvironmentInput,
  EnvironmentSchema,
  hostBridgeNeeds,
  OSA_COMPONENT_SKEL,
  OSA_CONTAINER_SKEL,
  OSA_PHYSICAL_SKEL,
} from '@osa-gitops/core';
import { renderEnvironment } from '../src';
import guideLabInput from '../../../environments/guide-lab/environment';
import dcEastInput from '../../../environments/dc-east/environment';
import dcWestInput from '../../../environments/dc-west/environment';

/**
 * The bridge derivation (model/host-bridges.ts) against OSA's own inventory generator: for every
 * host, the `container_networks` entries of the host and its containers (bridge, interface, key)
 * must be exactly what the generator writes. Needs OSA_INVENTORY_SRC like osa-oracle.int.spec.ts;
 * skips with the reason printed when it is unset.
 */
const SRC = process.env.OSA_INVENTORY_SRC ?? '';
const AVAILABLE = SRC !== '' && existsSync(join(SRC, 'osa_toolkit', 'generate.py'));
const PYTHON = '/usr/bin/python3';
const ORACLE = join(__dirname, 'osa-oracle.py');
const SKIP_REASON = AVAILABLE
  ? ''
  : ' [SKIPPED: set OSA_INVENTORY_SRC to an extracted openstack-ansible checkout with osa_toolkit/generate.py]';

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function generate(files: Iterable<readonly [string, string]>): Promise<any> {
  if (existsSync('/etc/openstack_deploy')) throw new Error('refusing: /etc/openstack_deploy exists');
  const dir = await mkdtemp(join(tmpdir(), 'osa-bridges-'));
  tempDirs.push(dir);
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const env = { PATH: '/usr/bin:/bin', OSA_INVENTORY_SRC: SRC, OSA_ORACLE_SEED: '0' };
  const out = await new Promise<{ rc: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      PYTHON,
      [ORACLE, dir],
      { env, cwd: dir, timeout: 60_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({ rc: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
  expect(out.stderr).toBe('');
  expect(out.rc).toBe(0);
  return JSON.parse(out.stdout);
}

/** `host|member|key|bridge|interface` for every entry the generator wrote, sorted. */
function fromInventory(inv: any, hosts: readonly string[]): string[] {
  const rows: string[] = [];
  for (const [name, vars] of Object.entries<any>(inv._meta.hostvars)) {
    const host = hosts.includes(name) ? name : vars.physical_host;
    let member = 'host';
    if (name !== host) {
      const skel = Object.keys(OSA_CONTAINER_SKEL).find((s) =>
        new RegExp(`^${host}-${s.replace(/_/g, '-')}-[0-9a-f]{8}$`).test(name),
      );
      member = skel ?? `?${name}`;
    }
    for (const [key, net] of Object.entries<any>(vars.container_networks ?? {})) {
      rows.push(`${host}|${member}|${key}|${net.bridge}|${net.interface ?? ''}`);
    }
  }
  return rows.sort();
}

function fromDerivation(input: EnvironmentInput): string[] {
  const rows: string[] = [];
  for (const [host, needs] of hostBridgeNeeds(EnvironmentSchema.parse(input))) {
    for (const u of needs.uses) {
      rows.push(`${host}|${u.member.skel ?? 'host'}|${u.key}|${u.bridge}|${u.interface ?? ''}`);
    }
  }
  return rows.sort();
}

/** dc-east with hosts in many groups, affinity, reference_group and unusual binds. */
function variety(): EnvironmentInput {
  const base = structuredClone(dcEastInput) as EnvironmentInput;
  return {
    ...base,
    providerNetworks: [
      ...base.providerNetworks,
      // binds through component groups, <x>_all groups, container_skel groups and `all`
      {
        bridge: 'br-extra',
        containerInterface: 'eth11',
        type: 'raw',
        ipFromQ: 'extra',
        groupBinds: ['galera_all', 'repo_container', 'all', 'nova_compute', 'os-infra_all'],
      },
      // only members whose physical host is in network_hosts
      {
        bridge: 'br-ref',
        containerInterface: 'eth12',
        type: 'raw',
        ipFromQ: 'refnet',
        groupBinds: ['all_containers', 'hosts'],
        referenceGroup: 'network_hosts',
      },
      // the same key (extra_address) as br-extra on utility containers: the later one wins
      {
        bridge: 'br-extra2',
        containerInterface: 'eth13',
        type: 'raw',
        ipFromQ: 'extra',
        groupBinds: ['utility'],
      },
    ],
    networks: { ...base.networks, extra: '10.31.0.0/22', refnet: '10.32.0.0/22' },
    hosts: {
      ...base.hosts,
      'east-infra1': {
        ...base.hosts['east-infra1']!,
        groups: [...base.hosts['east-infra1']!.groups, 'network_hosts', 'image_hosts'],
        affinity: { galera_container: 2, utility_container: 0 },
      },
      'east-net1': { ip: '10.30.0.31', groups: ['network-gateway_hosts', 'network_hosts'] },
      'east-store1': { ip: '10.30.0.32', groups: ['storage_hosts', 'storage-infra_hosts'] },
    },
  };
}

describe(`bridge derivation vs OSA's inventory generator${SKIP_REASON}`, () => {
  const cases: Record<string, EnvironmentInput> = {
    'guide-lab': guideLabInput,
    'dc-east': dcEastInput,
    'dc-west': dcWestInput,
    variety: variety(),
  };
  it.skipIf(!AVAILABLE).each(Object.keys(cases))(
    '%s: every container_networks entry of every host and container',
    async (name) => {
      const input = cases[name]!;
      const env = EnvironmentSchema.parse(input);
      const inv = await generate(renderEnvironment(env));
      const rows = fromInventory(inv, Object.keys(env.hosts));
      expect(rows.filter((r) => r.includes('|?'))).toEqual([]);
      expect(fromDerivation(input)).toEqual(rows);
    },
  );

  it.skipIf(!AVAILABLE)('the env.d table is openstack-ansible inventory/env.d, entry for entry', () => {
    const dir = join(SRC, 'inventory', 'env.d');
    const containers: Record<string, unknown> = {};
    const components: Record<string, string[]> = {};
    const physical: Record<string, string[]> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) ?? {};
      for (const [k, v] of Object.entries<any>(doc.container_skel ?? {})) {
        containers[k] = {
          belongsTo: v.belongs_to ?? [],
          contains: v.contains ?? [],
          isMetal: v.properties?.is_metal ?? false,
        };
      }
      for (const [k, v] of Object.entries<any>(doc.component_skel ?? {})) {
        components[k] = [...(components[k] ?? []), ...(v.belongs_to ?? [])];
      }
      for (const [k, v] of Object.entries<any>(doc.physical_skel ?? {})) {
        physical[k] = [...(physical[k] ?? []), ...(v.belongs_to ?? [])];
      }
    }
    expect(OSA_CONTAINER_SKEL).toEqual(containers);
    expect(OSA_COMPONENT_SKEL).toEqual(components);
    expect(OSA_PHYSICAL_SKEL).toEqual(physical);
  });
});
