import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentSchema, ipv4 } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/render';
import { importConfigDir } from '../src/import-config';
import { GUIDE_CONFIG_DIR, readConfigDir } from './guide-config';

/**
 * OSA's own inventory generator on the config dir written by hand from the guide, and on the tree
 * rendered from its import: the groups, the containers and each container's networks must be the
 * same except for what the import fixed on purpose (the guide's public network, which OSA skips
 * because of its indentation, and the VIP range `a-b`, which OSA does not reserve). Same oracle
 * wrapper and the same skip rule as osa-oracle.int.spec.ts.
 */
const SRC = process.env.OSA_INVENTORY_SRC ?? '';
const AVAILABLE = SRC !== '' && existsSync(join(SRC, 'osa_toolkit', 'generate.py'));
const SKIP_REASON = AVAILABLE
  ? ''
  : ' [SKIPPED: set OSA_INVENTORY_SRC to an extracted openstack-ansible checkout with osa_toolkit/generate.py]';
// The deterministic wrapper around OSA's generator that core's oracle tests use too.
const ORACLE = join(__dirname, '..', '..', 'render', 'test', 'osa-oracle.py');
const parseIpv4 = ipv4.requireAddress;

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function inventory(files: Iterable<readonly [string, string]>): Promise<any> {
  if (existsSync('/etc/openstack_deploy')) throw new Error('refusing: /etc/openstack_deploy exists');
  const dir = await mkdtemp(join(tmpdir(), 'osa-import-oracle-'));
  tempDirs.push(dir);
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const env = { PATH: '/usr/bin:/bin', OSA_INVENTORY_SRC: SRC, OSA_ORACLE_SEED: '0' };
  const out = await new Promise<{ rc: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      '/usr/bin/python3',
      [ORACLE, dir],
      { env, cwd: dir, timeout: 60_000, maxBuffer: 64 << 20 },
      (e, stdout, stderr) =>
        resolve({ rc: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr }),
    ),
  );
  expect(out.stderr).toBe('');
  expect(out.rc).toBe(0);
  return JSON.parse(out.stdout);
}

/** `infra1-haproxy-container-1a2b3c4d` → `infra1-haproxy-container` (the suffix is random). */
const stable = (name: string) => name.replace(/-[0-9a-f]{8}$/, '');

interface Shape {
  groups: Record<string, string[]>;
  /** container → network key → what OSA wires (no addresses: those are drawn at random). */
  networks: Record<string, Record<string, unknown>>;
}

function shape(inv: any): Shape {
  const groups: Record<string, string[]> = {};
  for (const [name, g] of Object.entries<any>(inv)) {
    if (name === '_meta') continue;
    groups[name] = [
      ...(g.hosts ?? []).map(stable),
      ...(g.children ?? []).map((c: string) => `group:${c}`),
    ].sort();
  }
  const networks: Record<string, Record<string, unknown>> = {};
  for (const [host, vars] of Object.entries<any>(inv._meta.hostvars)) {
    if (vars.properties?.is_metal !== false) continue;
    networks[stable(host)] = Object.fromEntries(
      Object.entries<any>(vars.container_networks ?? {}).map(([key, n]) => {
        const { address: _a, netmask: _n, ...wiring } = n;
        return [key, wiring];
      }),
    );
  }
  return { groups, networks };
}

describe(`OSA inventory: the guide's config dir vs the tree rendered from its import${SKIP_REASON}`, () => {
  const files = readConfigDir(GUIDE_CONFIG_DIR);
  const imported = importConfigDir(files, { site: 'guide-import' });
  const rendered = renderEnvironment(EnvironmentSchema.parse(imported.input));

  it.skipIf(!AVAILABLE)(
    'same groups and containers; the haproxy containers gain the public network; no VIP handed out',
    async () => {
      const before = await inventory(files.map((f) => [f.path, f.text] as const));
      const after = await inventory(rendered);
      const a = shape(before);
      const b = shape(after);

      expect(b.groups).toEqual(a.groups);
      expect(Object.keys(b.networks).sort()).toEqual(Object.keys(a.networks).sort());
      const haproxy = Object.keys(a.networks).filter((c) => c.includes('-haproxy-container'));
      expect(haproxy.sort()).toEqual([
        'infra1-haproxy-container',
        'infra2-haproxy-container',
        'infra3-haproxy-container',
      ]);

      // The intended difference: OSA skipped the guide's public network (keys beside `network:`).
      for (const c of Object.keys(a.networks)) {
        const extra = c.includes('-haproxy-container')
          ? {
              public_api_address: {
                bridge: 'br-public-api',
                interface: 'eth20',
                type: 'veth',
                static_routes: [{ cidr: '0.0.0.0/0', gateway: '203.0.113.129' }],
              },
            }
          : {};
        expect(a.networks[c], c).not.toHaveProperty('public_api_address');
        expect(b.networks[c], c).toEqual({ ...a.networks[c], ...extra });
      }

      // The other one: the VIP range is reserved now ("first,last" instead of the guide's "a-b").
      const vipRange = [parseIpv4('203.0.113.140'), parseIpv4('203.0.113.142')] as const;
      for (const [host, vars] of Object.entries<any>(after._meta.hostvars)) {
        const pub = vars.container_networks?.public_api_address?.address;
        if (pub === undefined) continue;
        const n = parseIpv4(pub);
        expect(n < vipRange[0] || n > vipRange[1], `${host} got ${pub}`).toBe(true);
      }
      expect(after.all.vars.external_lb_vip_address).toBe(before.all.vars.external_lb_vip_address);
      expect(after.all.vars.internal_lb_vip_address).toBe(before.all.vars.internal_lb_vip_address);
    },
    120_000,
  );
});
