import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeRequiring, pythonModules, source } from '@osa-gitops/test-support';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addressKey,
  type Environment,
  type EnvironmentInput,
  EnvironmentSchema,
  haproxyHosts,
  ipv4,
  managementNetwork,
  type RenderedTree,
} from '@osa-gitops/core';
import { renderEnvironment } from '../src';
import guideLabInput from '../../../environments/guide-lab/environment';
import dcEastInput from '../../../environments/dc-east/environment';
import dcWestInput from '../../../environments/dc-west/environment';
const { requireAddress: parseIpv4, requireCidr: parseCidr } = ipv4;

/**
 * OSA's own inventory generator as the oracle (docs/osa-facts.md#oracle): each example tree is written to
 * a temp dir and fed to `osa_toolkit.generate` through our deterministic wrapper (osa-oracle.py).
 * Needs an extracted openstack-ansible checkout in OSA_INVENTORY_SRC (never inside this repo) and
 * Debian's /usr/bin/python3 with python3-netaddr and python3-yaml. CI has none: it skips there.
 */
const SRC = process.env.OSA_INVENTORY_SRC ?? '';
const PYTHON = '/usr/bin/python3';
const ORACLE = join(__dirname, 'osa-oracle.py');
/** The checkout first (CI has none, so it skips there), then what .ci/run installs. */
const NEEDS = [
  source(
    'OSA_INVENTORY_SRC',
    'set it to an extracted openstack-ansible checkout with osa_toolkit/generate.py (README "Checking against OSA itself")',
    () => SRC !== '' && existsSync(join(SRC, 'osa_toolkit', 'generate.py')),
  ),
  pythonModules(
    PYTHON,
    ['netaddr', 'yaml'],
    "Debian's python3-netaddr and python3-yaml (.ci/run installs them)",
  ),
];

const SITES: Record<string, EnvironmentInput> = {
  'guide-lab': guideLabInput,
  'dc-east': dcEastInput,
  'dc-west': dcWestInput,
};

interface OracleRun {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function writeTree(files: Iterable<readonly [string, string]>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'osa-oracle-'));
  tempDirs.push(dir);
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** One generator process per run: OSA keeps used IPs in a module-level set (docs/osa-facts.md#config-search). */
function runOracle(tree: string, check: boolean): Promise<OracleRun> {
  // The generator silently reads /etc/openstack_deploy as a fallback (docs/osa-facts.md#config-search): refuse, loudly.
  if (existsSync('/etc/openstack_deploy')) {
    throw new Error(
      'refusing to run the OSA oracle: /etc/openstack_deploy exists and would leak into the result',
    );
  }
  const args = [ORACLE, tree, ...(check ? ['--check'] : [])];
  const env = { PATH: '/usr/bin:/bin', OSA_INVENTORY_SRC: SRC, OSA_ORACLE_SEED: '0' };
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      args,
      { env, cwd: tree, timeout: 60_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const rc = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ rc, stdout, stderr });
      },
    );
  });
}

async function inventory(files: Iterable<readonly [string, string]>): Promise<any> {
  const run = await runOracle(await writeTree(files), false);
  expect(run.stderr).toBe('');
  expect(run.rc).toBe(0);
  return JSON.parse(run.stdout);
}

/** Every address the rendered used_ips reserves, as numbers (entries are "a" or "a,b"). */
function reservedSet(tree: RenderedTree): Set<number> {
  const text = tree.get('openstack_user_config.yml')!;
  const entries = [...text.matchAll(/^ {2}- "([\d.,]+)"$/gm)].map((m) => m[1]!);
  const out = new Set<number>();
  for (const e of entries) {
    const [a, b = a] = e.split(',');
    for (let n = parseIpv4(a!); n <= parseIpv4(b!); n++) out.add(n);
  }
  return out;
}

function inside(cidr: string, address: string): boolean {
  const r = parseCidr(cidr);
  const n = parseIpv4(address);
  return r.first < n && n < r.last;
}

function haproxyContainers(inv: any): [string, any][] {
  return (inv.haproxy.hosts as string[]).map((h) => [h, inv._meta.hostvars[h]]);
}

for (const site of Object.keys(SITES))
  describeRequiring(NEEDS, `OSA inventory generator on ${site}`, () => {
    const env: Environment = EnvironmentSchema.parse(SITES[site]);
    const tree = renderEnvironment(env);

    it('PyYAML (what Ansible reads with) sees every YAML file exactly as YAML 1.2 does', async () => {
      const dir = await writeTree(tree);
      const yamlFiles = [...tree.keys()].filter((p) => p.endsWith('.yml'));
      const script =
        'import json,sys,yaml; print(json.dumps({f: yaml.safe_load(open(f)) for f in sys.argv[1:]}))';
      const py = await new Promise<string>((resolve, reject) =>
        execFile(
          PYTHON,
          ['-c', script, ...yamlFiles],
          { cwd: dir, env: { PATH: '/usr/bin:/bin' } },
          (e, out) => (e ? reject(e) : resolve(out)),
        ),
      );
      const expected = Object.fromEntries(yamlFiles.map((f) => [f, parse(tree.get(f)!, { version: '1.2' })]));
      expect(JSON.parse(py)).toEqual(expected);
    });

    it('--check prints exactly "Configuration ok!" with rc 0', async () => {
      const run = await runOracle(await writeTree(tree), true);
      expect(run).toEqual({ rc: 0, stdout: 'Configuration ok!\n', stderr: '' });
    });

    it('--list: non-metal haproxy containers, public address on the public interface with the default route, management on eth1', async () => {
      const inv = await inventory(tree);
      const pub = env.haproxy.publicNetwork;
      const mgmt = managementNetwork(env)!;
      const reserved = reservedSet(tree);
      const containers = haproxyContainers(inv);
      expect(containers.map(([, v]) => v.physical_host).sort()).toEqual(haproxyHosts(env));
      for (const [name, vars] of containers) {
        expect(vars.properties.is_metal, name).toBe(false);
        expect(vars.container_tech, name).toBe('lxc');
        const pubNet = vars.container_networks[`${pub.cidrName}_address`];
        expect(pubNet, name).toMatchObject({
          interface: pub.containerInterface,
          bridge: pub.bridge,
          type: 'veth',
          static_routes: [{ cidr: '0.0.0.0/0', gateway: pub.gateway }],
        });
        expect(inside(env.networks[pub.cidrName]!, pubNet.address), `${name} ${pubNet.address}`).toBe(true);
        expect(reserved.has(parseIpv4(pubNet.address)), `${name} got reserved ${pubNet.address}`).toBe(false);
        for (const taken of [pub.gateway, env.haproxy.vips.external, env.haproxy.vips.internal]) {
          expect(pubNet.address).not.toBe(taken);
        }
        const mgmtNet = vars.container_networks[addressKey(mgmt)];
        expect(addressKey(mgmt)).toBe('container_address');
        expect(mgmtNet, name).toMatchObject({ interface: mgmt.containerInterface, bridge: mgmt.bridge });
        expect(mgmtNet.interface).toBe('eth1');
        expect(inside(env.networks[mgmt.ipFromQ!]!, mgmtNet.address)).toBe(true);
        expect(vars.ansible_host).toBe(mgmtNet.address);
      }
      // No container anywhere got a reserved address (gateways, VIPs, reserved ranges).
      for (const [host, vars] of Object.entries<any>(inv._meta.hostvars)) {
        for (const net of Object.values<any>(vars.container_networks ?? {})) {
          if (net.address && vars.properties?.is_metal === false) {
            expect(reserved.has(parseIpv4(net.address)), `${host} got reserved ${net.address}`).toBe(false);
          }
        }
      }
    });
  });

describeRequiring(NEEDS, 'OSA inventory generator controls on guide-lab', () => {
  /** guide-lab with `affinity.haproxy_container` on infra1, to use up the public pool. */
  function crowded(count: number): RenderedTree {
    const input = structuredClone(guideLabInput) as any;
    input.hosts.infra1.affinity = { haproxy_container: count };
    return renderEnvironment(EnvironmentSchema.parse(input));
  }
  const publicAddresses = (inv: any) =>
    haproxyContainers(inv)
      .map(([, v]) => v.container_networks.public_api_address.address as string)
      .sort((a, b) => parseIpv4(a) - parseIpv4(b));

  it('a full pool (10 containers) gets exactly .130–.139: no gateway, no VIP', async () => {
    const inv = await inventory(crowded(8));
    expect(publicAddresses(inv)).toEqual(Array.from({ length: 10 }, (_, i) => `203.0.113.${130 + i}`));
  });

  it('one container more than the pool holds fails loudly (the comma ranges reserve)', async () => {
    const run = await runOracle(await writeTree(crowded(9)), true);
    expect(run.rc).toBe(1);
    expect(run.stderr).toContain(
      'Cannot retrieve requested amount of IP addresses. Increase the public_api range',
    );
  });

  it('trap 1: the guide’s "a-b" used_ips reserves nothing, so VIPs go to containers', async () => {
    const tree = new Map(crowded(11));
    const text = tree.get('openstack_user_config.yml')!;
    const docStyle = text.replace('"203.0.113.140,203.0.113.142"', '"203.0.113.140-203.0.113.142"');
    expect(docStyle).not.toBe(text);
    tree.set('openstack_user_config.yml', docStyle);
    const addresses = publicAddresses(await inventory(tree));
    expect(addresses).toContain('203.0.113.140'); // the external VIP, handed to a container
  });

  it('trap 2: keys beside `network:` make OSA skip the network without a word', async () => {
    const tree = new Map(renderEnvironment(EnvironmentSchema.parse(guideLabInput)));
    const text = tree.get('openstack_user_config.yml')!;
    const lines = text.split('\n');
    let i = lines.indexOf('        container_bridge: br-public-api');
    expect(i).toBeGreaterThan(0);
    for (; lines[i]!.startsWith('        '); i++) lines[i] = lines[i]!.slice(2);
    tree.set('openstack_user_config.yml', lines.join('\n'));
    const check = await runOracle(await writeTree(tree), true);
    expect(check).toEqual({ rc: 0, stdout: 'Configuration ok!\n', stderr: '' });
    const inv = await inventory(tree);
    for (const [, vars] of haproxyContainers(inv))
      expect(Object.keys(vars.container_networks)).toEqual(['container_address']);
  });
});
