import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `explain` through the real bin, on the repository's own example sites (read only): the text a
 * reviewer reads and the JSON a tool reads, plus the usage errors.
 */
const BIN = path.join(__dirname, '..', '..', 'bin', 'osa-gitops.cjs');
const REPO = path.join(__dirname, '..', '..', '..', '..');

function runBin(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// Each run starts Node, loads and validates the example sites: seconds on a busy machine.
describe('osa-gitops explain (real process, example sites)', { timeout: 60_000 }, () => {
  it('prints the chain of a two-NIC host whose bond carries everything (dc-east)', async () => {
    const { code, out, err } = await runBin(['explain', 'dc-east', 'east-infra1']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'east-infra1 10.30.0.11 (shared-infra_hosts, repo-infra_hosts, haproxy_hosts, os-infra_hosts, network-gateway_hosts)',
    );
    const nics = 'ens3 02:30:00:00:01:01 + ens6 02:30:00:00:01:02 → bond0';
    expect(lines).toContain(`  ${nics} → vlan-mgmt (VLAN 10) → br-mgmt 10.30.0.11/22 via 10.30.0.1`);
    expect(lines).toContain(`  ${nics} → vlan-storage (VLAN 20) → br-storage`);
    expect(lines).toContain(
      '    → eth2 of glance_container → storage_address (storage 10.30.8.0/22), providerNetworks[2]',
    );
    expect(lines).toContain(
      '    → the host itself → tunnel_address (tunnel 10.30.4.0/22), providerNetworks[1]',
    );
    expect(lines).toContain(
      '    → eth20 of haproxy_container → public_api_address (public_api 198.51.100.64/26), haproxy.publicNetwork; default route via 198.51.100.65; external VIP 198.51.100.70 on haproxy_container',
    );
    expect(out).toContain('internal VIP 10.30.0.10 on haproxy_container');
    expect(out).not.toContain('east-infra2');
    expect(out).not.toMatch(/[✖⚠]/);
  });

  it('--json: every host of dc-west, br-mgmt on ens2 outside the bond', async () => {
    const { code, out, err } = await runBin(['explain', 'dc-west', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'command', 'site', 'ok', 'issues', 'hosts']);
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'explain',
      site: 'dc-west',
      ok: true,
      issues: [],
    });
    expect(json.hosts.map((h: { host: string }) => h.host)).toEqual([
      'west-compute1',
      'west-compute2',
      'west-infra1',
      'west-infra2',
      'west-infra3',
    ]);
    const infra1 = json.hosts[2];
    expect(infra1).toMatchObject({ host: 'west-infra1', ip: '10.20.0.11', modelled: true });
    expect(infra1.bridges.map((b: { bridge: string; status: string }) => [b.bridge, b.status])).toEqual([
      ['br-public-api', 'ok'],
      ['br-mgmt', 'ok'],
    ]);
    expect(infra1.bridges[1].source).toEqual({ kind: 'external', interface: 'ens2', hostIp: true });
    expect(Object.keys(infra1.bridges[0])).toEqual(['bridge', 'status', 'source', 'uses']);
    expect(infra1.bridges[0].source).toMatchObject({
      kind: 'bond-vlan',
      bond: 'bond0',
      vlan: 'vlan-public-api',
      vlanId: 41,
      address: null,
      gateway: null,
      nics: [
        { nic: 'ens3', mac: '02:20:00:00:01:01' },
        { nic: 'ens6', mac: '02:20:00:00:01:02' },
      ],
    });
    expect(infra1.bridges[0].uses).toEqual([
      {
        members: ['haproxy_container'],
        interface: 'eth20',
        key: 'public_api_address',
        network: 'haproxy.publicNetwork',
        cidr: 'public_api 198.51.100.0/27',
        address: null,
        vips: ['external VIP 198.51.100.10 on haproxy_container'],
        defaultGateway: '198.51.100.1',
        bindOverride: null,
      },
    ]);
    const compute = json.hosts[0];
    expect(compute.modelled).toBe(false);
    expect(compute.bridges.map((b: { source: { kind: string } }) => b.source.kind)).toEqual([
      'not-modelled',
      'not-modelled',
      'not-modelled',
    ]);
  });

  it('exits 2 without a site or for an unknown host, 1 for a site that does not load', async () => {
    const [none, site, host] = await Promise.all([
      runBin(['explain']),
      runBin(['explain', 'nowhere']),
      runBin(['explain', 'guide-lab', 'infra9']),
    ]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('expected a site name');
    expect(site.code).toBe(1);
    expect(site.err).toContain('there is no environments/nowhere/environment.ts');
    expect(host.code).toBe(2);
    expect(host.err).toContain(
      'unknown host(s) "infra9" in site guide-lab; expected one of: infra1, infra2, infra3',
    );
  });
});
