import { describe, expect, it } from 'vitest';
import { EnvironmentSchema, guideInput } from '@osa-gitops/core';
import { verifyExpectations } from './expectations';
import { formatVerifyMarkdown, formatVerifyText, verifyResultToJson } from './format-verify';
import { judgeSite, type AppliedStages } from './judge';
import {
  parseIpAddr,
  parseIpRoute,
  parsePing,
  parseSsListen,
  type ContainerFacts,
  type LiveFacts,
} from './live-facts';

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
  const listen =
    b.listen ??
    'LISTEN 0      4096   0.0.0.0%eth20:443   0.0.0.0:*\nLISTEN 0      4096   0.0.0.0%eth1:5000   0.0.0.0:*\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n';
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
  };
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
  };
}

const failed = (r: ReturnType<typeof judgeSite>) =>
  r.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.subject, c.found]);

describe('judgeSite', () => {
  it('a healthy site passes every check', () => {
    const r = judgeSite(want, healthy(), all);
    expect(failed(r)).toEqual([]);
    expect(r.ok).toBe(true);
    // 3 running + 3×(address, route, ping) + 2 VIPs + 3×2 listeners
    expect(r.counts).toEqual({ pass: 3 + 9 + 2 + 6, fail: 0, 'not-applicable': 0 });
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
  });

  it('a missing VIP fails', () => {
    const r = judgeSite(want, healthy({ infra1: { eth1: ['172.29.236.101/22'] } }), all);
    expect(failed(r)).toEqual([['vip-held', 'internal VIP 172.29.236.9', 'held by no container']]);
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
  });

  it('the gateway not answering fails', () => {
    const r = judgeSite(want, healthy({ infra1: { pingOk: false } }), all);
    expect(failed(r).map((f) => f.slice(0, 2))).toEqual([
      ['gateway-answers', 'infra1-haproxy-container-0a1b2c3d'],
    ]);
  });

  it('HAProxy not listening on a bind fails; binding by address wants the VIP addresses', () => {
    const r = judgeSite(
      want,
      healthy({ infra3: { listen: 'LISTEN 0 4096 0.0.0.0%eth20:443 0.0.0.0:*\n' } }),
      all,
    );
    expect(failed(r)).toEqual([
      ['haproxy-listens', 'infra3-haproxy-container-0a1b2c3d', 'none (1 other listener(s))'],
    ]);
    const byAddress = { ...want, bind: 'address' as const };
    const listen = 'LISTEN 0 4096 203.0.113.140:443 0.0.0.0:*\nLISTEN 0 4096 172.29.236.9:5000 0.0.0.0:*\n';
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
      'vip-held',
      'vip-held',
      'haproxy-listens',
      'haproxy-listens',
      'haproxy-listens',
    ]);
    expect(r.ok).toBe(true);
    const none = judgeSite(
      want,
      { site: 'guide-lab', containers: [] },
      { containers: false, haproxy: false },
    );
    expect(none.counts).toEqual({ pass: 0, fail: 0, 'not-applicable': 8 });
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
      /FAIL\s+default-route\s+infra2-haproxy-container-0a1b2c3d\s+via 10\.0\.3\.1 dev eth0\s+\(expected one default route/,
    );
    expect(text).toMatch(/n\/a\s+vip-held\s+external VIP 203\.0\.113\.140\s+haproxy stage not applied/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('FAILED: 11 ok, 1 failed, 5 not applicable');
  });

  it('markdown: a table with every value escaped', () => {
    const md = formatVerifyMarkdown({
      ...r,
      checks: [{ ...r.checks[0]!, found: '<img src=x> @team | `x`' }],
    });
    expect(md).toContain('| ✅ ok | container-running | infra1 | &lt;img src=x&gt; &#64;team \\| \\`x\\` |');
    expect(md).toContain('### Verify guide-lab: FAILED');
  });

  it('json: every check with its status, and the verdict', () => {
    const j = JSON.parse(JSON.stringify(verifyResultToJson(r)));
    expect(j).toMatchObject({ schemaVersion: 1, site: 'guide-lab', ok: false, counts: { fail: 1 } });
    expect(j.checks).toHaveLength(17);
  });
});

describe('parsers', () => {
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
