import { describe, expect, it } from 'vitest';
import { EnvironmentSchema, guideInput } from '@osa-gitops/core';
import { verifyExpectations } from './expectations';
import { formatVerifyMarkdown, formatVerifyText, verifyResultToJson } from './format-verify';
import { judgeSite, type AppliedStages } from './judge';
import {
  parseIpAddr,
  parseIpRoute,
  parseKeepalivedData,
  parseKeepalivedState,
  parsePing,
  parseSsListen,
  type ContainerFacts,
  type KeepalivedFacts,
  type LiveFacts,
  type ServingProbe,
} from './live-facts';
import { expectedFrontends } from './osa-frontends';

// Pure unit tests of the judge on hand-written command output in iproute2's exact format (the
// netns tests in the deployer gather the same output from real namespaces).
const want = verifyExpectations(EnvironmentSchema.parse(guideInput()));
const all: AppliedStages = { containers: true, haproxy: true };

interface Box {
  host: string;
  eth20: string[];
  eth1: string[];
  routes?: object[];
  listen?: string;
  pingOk?: boolean;
  keepalived?: KeepalivedFacts;
}

/** Ports every container listens on in the healthy site: base (80, 443) and keystone (5000). */
const PORTS = [80, 443, 5000];
const LISTEN = PORTS.flatMap((p) => [
  `LISTEN 0      4096   0.0.0.0%eth20:${p}   0.0.0.0:*`,
  `LISTEN 0      4096   0.0.0.0%eth1:${p}   0.0.0.0:*`,
])
  .concat(['LISTEN 0 128 0.0.0.0:22 0.0.0.0:*', ''])
  .join('\n');

function keepalived(state: 'MASTER' | 'BACKUP', scripts: Record<string, string> = {}): KeepalivedFacts {
  const all = {
    haproxy_check_script: 'GOOD',
    pingable_check_script_external: 'GOOD',
    pingable_check_script_internal: 'GOOD',
    ...scripts,
  };
  return {
    pids: [4242],
    instances: [
      {
        name: 'external',
        state,
        vrid: 10,
        interface: 'eth20',
        trackedScripts: ['haproxy_check_script', 'pingable_check_script_external'],
      },
      {
        name: 'internal',
        state,
        vrid: 11,
        interface: 'eth1',
        trackedScripts: ['haproxy_check_script', 'pingable_check_script_internal'],
      },
    ],
    scripts: Object.entries(all).map(([name, status]) => ({ name, status })),
  };
}

function container(b: Box): ContainerFacts {
  const iface = (name: string, addrs: string[]) => ({
    ifname: name,
    operstate: 'UP',
    addr_info: addrs.map((a) => ({
      family: 'inet',
      local: a.split('/')[0],
      prefixlen: Number(a.split('/')[1]),
    })),
  });
  const addr = JSON.stringify([
    { ifname: 'lo', operstate: 'UNKNOWN', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
    iface('eth0', ['10.0.3.77/24']),
    iface('eth1', b.eth1),
    iface('eth20', b.eth20),
  ]);
  const routes = JSON.stringify(
    b.routes ?? [
      { dst: 'default', gateway: '203.0.113.129', dev: 'eth20', flags: [] },
      { dst: '203.0.113.128/28', dev: 'eth20', protocol: 'kernel', scope: 'link', flags: [] },
    ],
  );
  const listen = b.listen ?? LISTEN;
  const a = parseIpAddr(addr);
  const r = parseIpRoute(routes);
  const l = parseSsListen(listen);
  return {
    name: `${b.host}-haproxy-container-0a1b2c3d`,
    physicalHost: b.host,
    reachable: true,
    problems: [a.problem, r.problem, l.problem].filter((p): p is string => p !== undefined),
    interfaces: a.value,
    routes: r.value,
    listeners: l.value,
    ping: parsePing(
      '203.0.113.129',
      b.pingOk === false ? 1 : 0,
      '3 packets transmitted, 3 received, 0% packet loss, time 2003ms\n',
    ),
    keepalived: b.keepalived ?? keepalived(b.host === 'infra1' ? 'MASTER' : 'BACKUP'),
  };
}

/** Every expected frontend answering, TLS binds with the VIPs in their SANs. */
function serving(
  groups: readonly string[],
  over: Partial<Record<string, Partial<ServingProbe>>> = {},
): ServingProbe[] {
  const vips = { external: want.externalVip, internal: want.internalVip };
  return expectedFrontends(new Set(groups)).map((f) => ({
    vip: vips[f.vip],
    port: f.port,
    connected: true,
    ...(f.tls ? { tls: { dns: ['infra1'], ip: [want.externalVip, want.internalVip] } } : {}),
    ...over[`${vips[f.vip]}:${f.port}`],
  }));
}

function healthy(over: Partial<Record<'infra1' | 'infra2' | 'infra3', Partial<Box>>> = {}): LiveFacts {
  const boxes: Box[] = [
    {
      host: 'infra1',
      eth20: ['203.0.113.131/28', '203.0.113.140/32'],
      eth1: ['172.29.236.101/22', '172.29.236.9/32'],
    },
    { host: 'infra2', eth20: ['203.0.113.132/28'], eth1: ['172.29.236.102/22'] },
    { host: 'infra3', eth20: ['203.0.113.133/28'], eth1: ['172.29.236.103/22'] },
  ];
  return {
    site: 'guide-lab',
    containers: boxes.map((b) => container({ ...b, ...over[b.host as 'infra1'] })),
    groupsWithHosts: ['keystone_all'],
    serving: serving(['keystone_all']),
  };
}

const failed = (r: ReturnType<typeof judgeSite>) =>
  r.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.subject, c.found]);

describe('judgeSite', () => {
  it('a healthy site passes every check', () => {
    const r = judgeSite(want, healthy(), all);
    expect(failed(r)).toEqual([]);
    expect(r.ok).toBe(true);
    // 3 running + 3×(address, route, ping) + 3×(keepalived, scripts) + 2 VRRP + 2 VIPs + 3×2
    // listeners + 6 frontends (80, 443, 5000 on both VIPs) + 3 TLS binds (443 both, 5000 external)
    expect(r.counts).toEqual({ pass: 3 + 9 + 6 + 2 + 2 + 6 + 6 + 3, fail: 0, 'not-applicable': 0 });
    expect(r.checks.filter((c) => c.id === 'tls-certificate').map((c) => c.subject)).toEqual([
      'external VIP 203.0.113.140:443',
      'external VIP 203.0.113.140:5000',
      'internal VIP 172.29.236.9:443',
    ]);
  });

  it('a default route via eth0 (LXC dhcp) fails, even next to the right one', () => {
    const r = judgeSite(
      want,
      healthy({
        infra2: {
          routes: [
            { dst: 'default', gateway: '10.0.3.1', dev: 'eth0', metric: 1024 },
            { dst: 'default', gateway: '203.0.113.129', dev: 'eth20', metric: 2048 },
          ],
        },
      }),
      all,
    );
    expect(failed(r)).toEqual([
      [
        'default-route',
        'infra2-haproxy-container-0a1b2c3d',
        'via 10.0.3.1 dev eth0 metric 1024; via 203.0.113.129 dev eth20 metric 2048',
      ],
    ]);
    expect(r.ok).toBe(false);
  });

  it('a wrong gateway fails the route check', () => {
    const r = judgeSite(
      want,
      healthy({ infra3: { routes: [{ dst: 'default', gateway: '203.0.113.130', dev: 'eth20' }] } }),
      all,
    );
    expect(failed(r).map((f) => f[0])).toEqual(['default-route']);
  });

  it('a VIP on two containers (split brain) fails, naming both', () => {
    const r = judgeSite(want, healthy({ infra2: { eth20: ['203.0.113.132/28', '203.0.113.140/32'] } }), all);
    expect(failed(r)).toEqual([
      [
        'vip-held',
        'external VIP 203.0.113.140',
        'held by infra1-haproxy-container-0a1b2c3d (eth20), infra2-haproxy-container-0a1b2c3d (eth20)',
      ],
    ]);
    expect(r.checks.find((c) => c.id === 'vip-held' && c.status === 'fail')).toMatchObject({
      vip: '203.0.113.140',
      instance: 'infra1-haproxy-container-0a1b2c3d, infra2-haproxy-container-0a1b2c3d',
    });
  });

  it('a missing VIP fails', () => {
    const r = judgeSite(want, healthy({ infra1: { eth1: ['172.29.236.101/22'] } }), all);
    expect(failed(r)).toEqual([['vip-held', 'internal VIP 172.29.236.9', 'held by no member']]);
  });

  it('a VIP on the wrong interface fails', () => {
    const r = judgeSite(
      want,
      healthy({
        infra1: {
          eth20: ['203.0.113.131/28'],
          eth1: ['172.29.236.101/22', '172.29.236.9/32', '203.0.113.140/32'],
        },
      }),
      all,
    );
    expect(failed(r)).toEqual([
      ['vip-held', 'external VIP 203.0.113.140', 'held by infra1-haproxy-container-0a1b2c3d (eth1)'],
    ]);
  });

  it('an address outside the public network, or a reserved one, fails', () => {
    const r = judgeSite(
      want,
      healthy({ infra2: { eth20: ['198.51.100.7/24'] }, infra3: { eth20: ['203.0.113.141/28'] } }),
      all,
    );
    expect(failed(r)).toEqual([
      ['public-address', 'infra2-haproxy-container-0a1b2c3d', '198.51.100.7/24 is outside 203.0.113.128/28'],
      ['public-address', 'infra3-haproxy-container-0a1b2c3d', '203.0.113.141 is reserved (used_ips)'],
    ]);
  });

  it('a container that did not answer, or is missing, fails container-running and gets no other rows', () => {
    const facts = healthy();
    const r = judgeSite(
      want,
      {
        site: facts.site,
        containers: [
          facts.containers[0]!,
          { ...facts.containers[1]!, reachable: false, problems: ['UNREACHABLE: lxc-attach failed'] },
        ],
      },
      all,
    );
    expect(failed(r).filter((f) => f[0] === 'container-running')).toEqual([
      ['container-running', 'infra2', 'infra2-haproxy-container-0a1b2c3d: UNREACHABLE: lxc-attach failed'],
      ['container-running', 'infra3', 'no haproxy container of this host in the inventory'],
    ]);
    expect(r.checks.some((c) => c.subject.startsWith('infra2-') || c.subject.startsWith('infra3-'))).toBe(
      false,
    );
    // A member that did not answer could hold a VIP: "exactly one" is not proven.
    expect(r.checks.find((c) => c.id === 'vip-held')?.found).toContain(
      'infra2-haproxy-container-0a1b2c3d did not answer (not counted)',
    );
  });

  it('the gateway not answering fails', () => {
    const r = judgeSite(want, healthy({ infra1: { pingOk: false } }), all);
    expect(failed(r).map((f) => f.slice(0, 2))).toEqual([
      ['gateway-answers', 'infra1-haproxy-container-0a1b2c3d'],
    ]);
  });

  it('a frontend port nothing listens on fails once per container, VIP and port; binding by address wants the VIP addresses', () => {
    const r = judgeSite(want, healthy({ infra3: { listen: LISTEN.replace(/^.*:5000 .*\n/gm, '') } }), all);
    const name = 'infra3-haproxy-container-0a1b2c3d';
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.instance, c.vip, c.port])).toEqual(
      [
        ['haproxy-listens', name, '203.0.113.140', 5000],
        ['haproxy-listens', name, '172.29.236.9', 5000],
      ],
    );
    expect(failed(r)[0]![2]).toBe('nothing listens on port 5000; listening: 80, 443');
    const byAddress = { ...want, bind: 'address' as const };
    const listen = PORTS.flatMap((p) => [
      `LISTEN 0 4096 203.0.113.140:${p} 0.0.0.0:*`,
      `LISTEN 0 4096 172.29.236.9:${p} 0.0.0.0:*`,
    ]).join('\n');
    const ok = judgeSite(
      byAddress,
      healthy({ infra1: { listen }, infra2: { listen }, infra3: { listen } }),
      all,
    );
    expect(failed(ok)).toEqual([]);
    expect(failed(judgeSite(byAddress, healthy(), all)).map((f) => f[0])).toContain('haproxy-listens');
  });

  it('stages not applied make their checks not applicable, never green', () => {
    const r = judgeSite(want, healthy(), { containers: true, haproxy: false });
    expect(r.checks.filter((c) => c.status === 'not-applicable').map((c) => c.id)).toEqual([
      'keepalived-running',
      'keepalived-running',
      'keepalived-running',
      'vrrp-state',
      'vrrp-state',
      'vip-held',
      'vip-held',
      'haproxy-listens',
      'haproxy-listens',
      'haproxy-listens',
      'frontend-serves',
      'frontend-serves',
    ]);
    expect(r.ok).toBe(true);
    const none = judgeSite(
      want,
      { site: 'guide-lab', containers: [] },
      { containers: false, haproxy: false },
    );
    expect(none.counts).toEqual({ pass: 0, fail: 0, 'not-applicable': 15 });
  });

  it('keepalived stopped on the backups: each named, and each VRRP instance not whole', () => {
    const stopped: KeepalivedFacts = {
      pids: [],
      instances: [],
      scripts: [],
      problem: 'keepalived is not running',
    };
    const r = judgeSite(
      want,
      healthy({ infra2: { keepalived: stopped }, infra3: { keepalived: stopped } }),
      all,
    );
    const f = r.checks.filter((c) => c.status === 'fail');
    expect(f.map((c) => [c.id, c.instance, c.found])).toEqual([
      ['keepalived-running', 'infra2-haproxy-container-0a1b2c3d', 'keepalived is not running'],
      ['keepalived-running', 'infra3-haproxy-container-0a1b2c3d', 'keepalived is not running'],
      [
        'vrrp-state',
        'infra1-haproxy-container-0a1b2c3d, infra2-haproxy-container-0a1b2c3d, infra3-haproxy-container-0a1b2c3d',
        'MASTER: infra1-haproxy-container-0a1b2c3d; not running: infra2-haproxy-container-0a1b2c3d, infra3-haproxy-container-0a1b2c3d',
      ],
      [
        'vrrp-state',
        'infra1-haproxy-container-0a1b2c3d, infra2-haproxy-container-0a1b2c3d, infra3-haproxy-container-0a1b2c3d',
        'MASTER: infra1-haproxy-container-0a1b2c3d; not running: infra2-haproxy-container-0a1b2c3d, infra3-haproxy-container-0a1b2c3d',
      ],
    ]);
    expect(f.filter((c) => c.id === 'vrrp-state').map((c) => c.vip)).toEqual([
      '203.0.113.140',
      '172.29.236.9',
    ]);
  });

  it('two MASTERs, a FAULT, a failing track script', () => {
    const r = judgeSite(
      want,
      healthy({
        infra2: { keepalived: keepalived('MASTER') },
        infra3: { keepalived: keepalived('BACKUP', { pingable_check_script_external: 'BAD' }) },
      }),
      all,
    );
    expect(failed(r)).toEqual([
      [
        'track-scripts',
        'infra3-haproxy-container-0a1b2c3d',
        'haproxy_check_script GOOD, pingable_check_script_external BAD, pingable_check_script_internal GOOD',
      ],
      [
        'vrrp-state',
        'VRRP instance external (router id 10)',
        'MASTER: infra1-haproxy-container-0a1b2c3d, infra2-haproxy-container-0a1b2c3d; BACKUP: infra3-haproxy-container-0a1b2c3d',
      ],
      [
        'vrrp-state',
        'VRRP instance internal (router id 11)',
        'MASTER: infra1-haproxy-container-0a1b2c3d, infra2-haproxy-container-0a1b2c3d; BACKUP: infra3-haproxy-container-0a1b2c3d',
      ],
    ]);
  });

  it('a metal member of the haproxy group holding a VIP (a leftover keepalived) fails vip-held and vrrp-state', () => {
    const facts = healthy();
    const metal: ContainerFacts = {
      name: 'infra1',
      metal: true,
      physicalHost: 'infra1',
      reachable: true,
      problems: [],
      interfaces: parseIpAddr(
        JSON.stringify([
          {
            ifname: 'br-public-api',
            operstate: 'UP',
            addr_info: [{ family: 'inet', local: '203.0.113.140', prefixlen: 32 }],
          },
        ]),
      ).value,
      routes: [],
      listeners: [],
      keepalived: {
        pids: [7],
        instances: [{ name: 'external', state: 'MASTER', vrid: 99, trackedScripts: [] }],
        scripts: [],
      },
    };
    const r = judgeSite(want, { ...facts, containers: [...facts.containers, metal] }, all);
    expect(failed(r)).toEqual([
      [
        'vrrp-state',
        'VRRP instance external (router id 10)',
        'MASTER: infra1-haproxy-container-0a1b2c3d, infra1 (metal); BACKUP: infra2-haproxy-container-0a1b2c3d, infra3-haproxy-container-0a1b2c3d',
      ],
      [
        'vip-held',
        'external VIP 203.0.113.140',
        'held by infra1-haproxy-container-0a1b2c3d (eth20), infra1 (metal) (br-public-api)',
      ],
    ]);
    // Metal members get no container rows, and do not count as their host's container.
    expect(r.checks.filter((c) => c.id === 'container-running').map((c) => c.found)).not.toContain('infra1');
    const silent = judgeSite(
      want,
      { ...facts, containers: [...facts.containers, { ...metal, reachable: false, interfaces: [] }] },
      all,
    );
    expect(failed(silent).map((f) => f[0])).toEqual(['vip-held', 'vip-held']);
  });

  it('a frontend that does not answer on a VIP names the VIP holder, the VIP and the port', () => {
    const facts = healthy();
    const r = judgeSite(
      want,
      {
        ...facts,
        serving: serving(['keystone_all'], {
          '203.0.113.140:5000': {
            connected: false,
            error: 'connection failed: ECONNREFUSED',
            tls: undefined,
          },
        }),
      },
      all,
    );
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      {
        id: 'frontend-serves',
        subject: 'external VIP 203.0.113.140:5000',
        status: 'fail',
        expected: 'a TCP connection from the deploy host succeeds (keystone_service, TLS)',
        found: 'connection failed: ECONNREFUSED (held by infra1-haproxy-container-0a1b2c3d)',
        instance: 'infra1-haproxy-container-0a1b2c3d',
        vip: '203.0.113.140',
        port: 5000,
      },
    ]);
    // Not probed at all (facts without probes) is a failure, not a pass.
    expect(failed(judgeSite(want, { ...facts, serving: undefined }, all)).map((f) => f[0])).toEqual(
      Array(6).fill('frontend-serves'),
    );
  });

  it("a certificate without the VIP, or without the site's external name, fails its TLS bind", () => {
    const facts = healthy();
    const noVip = { tls: { dns: ['infra1'], ip: [want.internalVip] } };
    const r = judgeSite(
      want,
      { ...facts, serving: serving(['keystone_all'], { '203.0.113.140:443': noVip }) },
      all,
    );
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.vip, c.port, c.found])).toEqual([
      [
        'tls-certificate',
        '203.0.113.140',
        443,
        'missing IP 203.0.113.140 (SANs: DNS infra1, IP 172.29.236.9)',
      ],
    ]);
    const named = { ...want, externalName: 'cloud.example.com' };
    const n = judgeSite(named, facts, all);
    expect(failed(n).map((f) => f[1])).toEqual([
      'external VIP 203.0.113.140:443',
      'external VIP 203.0.113.140:5000',
    ]);
    expect(failed(n)[0]![2]).toContain('missing DNS cloud.example.com');
  });

  it('the frontends follow the groups that have hosts; without them only the base ones are expected', () => {
    const facts = healthy();
    const base = judgeSite(want, { ...facts, groupsWithHosts: undefined, serving: serving([]) }, all);
    expect(base.ok).toBe(true);
    expect(base.checks.filter((c) => c.id === 'frontend-serves').map((c) => c.port)).toEqual([
      80, 443, 80, 443,
    ]);
    const galera = judgeSite(
      want,
      {
        ...facts,
        groupsWithHosts: ['keystone_all', 'galera_all'],
        serving: serving(['keystone_all', 'galera_all']),
      },
      all,
    );
    expect(failed(galera).map((f) => f[2])).toEqual(
      Array(3).fill('nothing listens on port 3306; listening: 80, 443, 5000'),
    );
    expect(galera.checks.filter((c) => c.port === 3306).every((c) => c.vip === want.internalVip)).toBe(true);
  });

  it('unreadable command output is a failure, not a crash', () => {
    const c = container({ host: 'infra1', eth20: [], eth1: [] });
    const broken: ContainerFacts = {
      ...c,
      interfaces: parseIpAddr('not json').value,
      problems: ['ip -j addr: output is not a JSON array'],
    };
    const r = judgeSite(want, { site: 'guide-lab', containers: [broken] }, all);
    expect(failed(r)).toContainEqual([
      'public-address',
      broken.name,
      'ip -j addr: output is not a JSON array',
    ]);
  });
});

describe('verify renderers', () => {
  const r = judgeSite(
    want,
    healthy({ infra2: { routes: [{ dst: 'default', gateway: '10.0.3.1', dev: 'eth0' }] } }),
    {
      containers: true,
      haproxy: false,
    },
  );

  it('text: one line per check, the expectation on failures, a verdict', () => {
    const text = formatVerifyText(r);
    expect(text).toMatch(
      /FAIL\s+default-route\s+infra2-haproxy-container-0a1b2c3d\s+via 10\.0\.3\.1 dev eth0\s+\[instance infra2-haproxy-container-0a1b2c3d\]\s+\(expected one default route/,
    );
    expect(text).toMatch(/n\/a\s+vip-held\s+external VIP 203\.0\.113\.140\s+haproxy stage not applied/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('FAILED: 11 ok, 1 failed, 12 not applicable');
  });

  it('markdown: a table with every value escaped', () => {
    const md = formatVerifyMarkdown({
      ...r,
      checks: [{ ...r.checks[0]!, found: '<img src=x> @team | `x`' }],
    });
    expect(md).toContain(
      '| ✅ ok | container-running | infra1 |  |  |  | &lt;img src=x&gt; &#64;team \\| \\`x\\` |',
    );
    expect(md).toContain('### Verify guide-lab: FAILED');
    expect(md).toContain('| result | check | subject | instance | VIP | port | found | expected |');
    const where = formatVerifyMarkdown({
      ...r,
      checks: [
        {
          id: 'frontend-serves',
          subject: 'external VIP 203.0.113.140:5000',
          status: 'fail',
          expected: 'x',
          found: 'refused',
          instance: 'c1',
          vip: '203.0.113.140',
          port: 5000,
        },
      ],
    });
    expect(where).toContain(
      '| ❌ FAIL | frontend-serves | external VIP 203.0.113.140:5000 | c1 | 203.0.113.140 | 5000 | refused | x |',
    );
  });

  it('json: every check with its status, and the verdict', () => {
    const j = JSON.parse(JSON.stringify(verifyResultToJson(r)));
    expect(j).toMatchObject({ schemaVersion: 1, site: 'guide-lab', ok: false, counts: { fail: 1 } });
    expect(j.checks).toHaveLength(24);
  });
});

describe('parsers', () => {
  it("keepalived's data dump: instances with state, router id, interface and tracked scripts; script statuses", () => {
    const dump = [
      '------< Global definitions >------',
      ' Network namespace = (default)',
      '------< VRRP Topology >------',
      ' VRRP Instance = external',
      '   VRRP Version = 3',
      '   State = MASTER',
      '   Flags: none',
      '   Wantstate = MASTER',
      '   Interface = eth20',
      '   Virtual Router ID = 10',
      '   Virtual IP (1):',
      '     203.0.113.140 dev eth20 scope global set',
      '   Tracked scripts :',
      '     haproxy_check_script weight 0',
      '     pingable_check_script_external weight -101',
      '   Using smtp notification = no',
      ' VRRP Instance = internal',
      '   State = BACKUP',
      '   Interface = eth1',
      '   Virtual Router ID = 11',
      '------< VRRP Sockpool >------',
      ' fd_in 13 fd_out = 14',
      '   Interface = eth20',
      '------< VRRP Scripts >------',
      ' VRRP Script = haproxy_check_script',
      "   Command = '/etc/keepalived/haproxy_check.sh'",
      '   Status = GOOD',
      '   State = idle',
      ' VRRP Script = pingable_check_script_external',
      '   Status = BAD',
      '',
    ].join('\n');
    expect(parseKeepalivedData(dump)).toEqual({
      instances: [
        {
          name: 'external',
          state: 'MASTER',
          vrid: 10,
          interface: 'eth20',
          trackedScripts: ['haproxy_check_script', 'pingable_check_script_external'],
        },
        { name: 'internal', state: 'BACKUP', vrid: 11, interface: 'eth1', trackedScripts: [] },
      ],
      scripts: [
        { name: 'haproxy_check_script', status: 'GOOD' },
        { name: 'pingable_check_script_external', status: 'BAD' },
      ],
    });
    expect(parseKeepalivedState(0, JSON.stringify({ pids: [], data: '', error: '' }))).toMatchObject({
      problem: 'keepalived is not running',
    });
    expect(parseKeepalivedState(0, 'Traceback').problem).toBe('the keepalived probe printed no JSON');
    expect(parseKeepalivedState(0, JSON.stringify({ pids: [5], data: dump, error: '' }))).toMatchObject({
      pids: [5],
      instances: [{ name: 'external' }, { name: 'internal' }],
    });
  });

  it('ss: device-bound, address-bound, IPv6 and wildcard sockets', () => {
    expect(
      parseSsListen(
        'LISTEN 0 4096 0.0.0.0%eth20:443 0.0.0.0:*\nLISTEN 0 128 [::]:22 [::]:*\nLISTEN 0 128 *:80 *:*\nLISTEN 0 5 203.0.113.140:8443 0.0.0.0:*\n',
      ),
    ).toEqual({
      value: [
        { address: '0.0.0.0', device: 'eth20', port: 443 },
        { address: '[::]', port: 22 },
        { address: '*', port: 80 },
        { address: '203.0.113.140', port: 8443 },
      ],
    });
    expect(parseSsListen('LISTEN 0 1 garbage x\n').problem).toContain('garbage');
  });

  it('ip route: 0.0.0.0/0 is the default route; bad JSON is a problem', () => {
    expect(parseIpRoute('[{"dst":"0.0.0.0/0","gateway":"1.2.3.4","dev":"eth20"}]').value).toEqual([
      { dst: 'default', gateway: '1.2.3.4', dev: 'eth20' },
    ]);
    expect(parseIpRoute('{').problem).toBeDefined();
    expect(parseIpAddr('{"a":1}').problem).toBeDefined();
  });
});
