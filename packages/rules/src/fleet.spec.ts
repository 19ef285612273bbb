import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Environment,
  EnvironmentSchema,
  guideInput,
  guideSecondSite,
  ipv4,
  sortIssues,
} from '@osa-gitops/core';
import { validateFleet } from './fleet';
import { validateEnvironment, validateEnvironmentOrThrow } from './validate-environment';
const { parseCidr, formatAddress } = ipv4;

const base: Environment = EnvironmentSchema.parse(guideInput());

/** A parsed site with only the fields fleet checks read changed; the rest stays the guide's. */
function site(
  over: Partial<Pick<Environment, 'name' | 'networks' | 'routingDomain' | 'publicSegment'>> & {
    vips?: Environment['haproxy']['vips'];
    vrids?: [number, number];
  },
): Environment {
  return {
    ...base,
    ...over,
    // Each site its own deploy runner, as FLEET_RUNNER_LABEL_DUPLICATE requires.
    deploy: { ...base.deploy, runnerLabel: `osa-deploy-${over.name ?? base.name}` },
    // Without bond members: every site built here would repeat the guide's MACs (FLEET_MAC_DUPLICATE).
    hosts: Object.fromEntries(
      Object.entries(base.hosts).map(([h, { bondMembers: _, ...rest }]) => [h, rest]),
    ),
    haproxy: {
      ...base.haproxy,
      vips: over.vips ?? base.haproxy.vips,
      keepalived: over.vrids
        ? { externalRouterId: over.vrids[0], internalRouterId: over.vrids[1] }
        : base.haproxy.keepalived,
    },
  };
}

describe('validateFleet', () => {
  it('passes distinct sites', () => {
    const envs = [guideInput(), guideSecondSite()].map((i) => validateEnvironmentOrThrow(i));
    expect(validateFleet(envs)).toEqual([]);
  });

  it('reports one runner label in two sites on both sites, ignoring case as GitHub does', () => {
    const vips = (n: number) => ({ external: `1.1.1.${n}`, internal: `1.1.2.${n}` });
    const a = site({ name: 'a', routingDomain: 'a', vips: vips(1) });
    const b = { ...site({ name: 'b', routingDomain: 'b', vips: vips(2) }), deploy: a.deploy };
    const c = site({ name: 'c', routingDomain: 'c', vips: vips(3) });
    const issues = validateFleet([a, b, c]);
    expect(issues).toMatchObject([
      { code: 'FLEET_RUNNER_LABEL_DUPLICATE', site: 'a', path: ['deploy', 'runnerLabel'] },
      { code: 'FLEET_RUNNER_LABEL_DUPLICATE', site: 'b', path: ['deploy', 'runnerLabel'] },
    ]);
    expect(issues[0]!.message).toContain('site b');
    expect(issues[1]!.message).toContain('site a');
    const upper = { ...c, deploy: { ...c.deploy, runnerLabel: 'OSA-DEPLOY-A' } };
    expect(validateFleet([a, upper]).map((i) => [i.code, i.site])).toEqual([
      ['FLEET_RUNNER_LABEL_DUPLICATE', 'a'],
      ['FLEET_RUNNER_LABEL_DUPLICATE', 'c'],
    ]);
  });

  it('lets networks repeat across routing domains', () => {
    const a = site({ name: 'a', routingDomain: 'one', vips: { external: '1.1.1.1', internal: '1.1.1.2' } });
    const b = site({ name: 'b', routingDomain: 'two', vips: { external: '1.1.1.3', internal: '1.1.1.4' } });
    expect(validateFleet([a, b])).toEqual([]);
  });

  it('only compares external router ids of sites on one public segment', () => {
    const vips = (n: number) => ({ external: `1.1.1.${n}`, internal: `1.1.2.${n}` });
    const envs = [
      site({ name: 'a', routingDomain: 'a', vips: vips(1), publicSegment: 'edge-1' }),
      site({ name: 'b', routingDomain: 'b', vips: vips(2), publicSegment: 'edge-2' }),
      site({ name: 'c', routingDomain: 'c', vips: vips(3) }),
      site({ name: 'd', routingDomain: 'd', vips: vips(4) }),
      site({ name: 'e', routingDomain: 'e', vips: vips(5), publicSegment: 'edge-1', vrids: [10, 12] }),
    ];
    const path = ['haproxy', 'keepalived', 'externalRouterId'];
    const issues = validateFleet(envs);
    expect(issues).toMatchObject([
      { code: 'FLEET_VRID_CONFLICT', site: 'a', path },
      { code: 'FLEET_VRID_CONFLICT', site: 'e', path },
    ]);
    expect(issues[0]!.message).toContain('site e');
    expect(issues[1]!.message).toContain('site a');
  });

  it('ignores internal router ids across sites: the internal instance is on each site’s br-mgmt', () => {
    const vips = (n: number) => ({ external: `1.1.1.${n}`, internal: `1.1.2.${n}` });
    const envs = [
      site({ name: 'a', routingDomain: 'a', vips: vips(1), publicSegment: 'edge-1', vrids: [10, 11] }),
      // b's internal id equals a's, and b's external id equals a's internal id: no shared VLAN.
      site({ name: 'b', routingDomain: 'b', vips: vips(2), publicSegment: 'edge-1', vrids: [11, 12] }),
      site({ name: 'c', routingDomain: 'c', vips: vips(3), publicSegment: 'edge-1', vrids: [13, 11] }),
    ];
    expect(validateFleet(envs)).toEqual([]);
  });

  it('reports a conflict on both sites, each naming the other, and sorts', () => {
    const a = site({ name: 'zulu', routingDomain: 'x', vips: { external: '1.1.1.1', internal: '1.1.1.2' } });
    const b = site({ name: 'alpha', routingDomain: 'y', vips: { external: '1.1.1.9', internal: '1.1.1.1' } });
    const issues = validateFleet([a, b]);
    expect(issues).toMatchObject([
      { code: 'FLEET_VIP_DUPLICATE', site: 'alpha', path: ['haproxy', 'vips', 'internal'] },
      { code: 'FLEET_VIP_DUPLICATE', site: 'zulu', path: ['haproxy', 'vips', 'external'] },
    ]);
    expect(issues[0]!.message).toContain('site zulu');
    expect(issues[1]!.message).toContain('site alpha');
    expect(issues).toEqual(sortIssues(issues));
  });

  it('reports overlapping networks on both sites, whichever is defined first', () => {
    const vips = (n: number) => ({ external: `1.1.1.${n}`, internal: `1.1.2.${n}` });
    const east = site({ name: 'dc-east', vips: vips(1), networks: { container: '10.1.0.0/22' } });
    const copy = site({ name: 'dc-a', vips: vips(2), networks: { container: '10.1.2.0/24' } });
    for (const envs of [
      [east, copy],
      [copy, east],
    ]) {
      const issues = validateFleet(envs);
      expect(issues).toMatchObject([
        { code: 'FLEET_NETWORK_OVERLAP', site: 'dc-a', path: ['networks', 'container'] },
        { code: 'FLEET_NETWORK_OVERLAP', site: 'dc-east', path: ['networks', 'container'] },
      ]);
      expect(issues[0]!.message).toMatch(/^10\.1\.2\.0\/24 overlaps .*of site dc-east /);
      expect(issues[1]!.message).toMatch(/^10\.1\.0\.0\/22 overlaps .*of site dc-a /);
    }
  });

  it('skips values that do not parse (per-site validation reports them)', () => {
    const a = site({
      name: 'a',
      networks: { container: 'nonsense' },
      vips: { external: 'x', internal: 'y' },
    });
    const b = site({
      name: 'b',
      networks: { container: 'nonsense' },
      vips: { external: 'x', internal: 'y' },
    });
    expect(validateFleet([a, b])).toEqual([]);
  });
});

/** Random small fleets: few sites, few networks in a small address space, two routing domains. */
const fleetArb = fc.array(
  fc.record({
    domain: fc.constantFrom('a', 'b'),
    segment: fc.option(fc.constantFrom('s1', 's2'), { nil: undefined }),
    networks: fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 24, max: 30 })), {
      minLength: 1,
      maxLength: 4,
    }),
    vips: fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })),
    vrids: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
  }),
  { minLength: 1, maxLength: 8 },
);

type FleetSpec = typeof fleetArb extends fc.Arbitrary<infer T> ? T : never;

function buildFleet(spec: FleetSpec): Environment[] {
  return spec.map((s, i) => {
    const networks: Record<string, string> = {};
    s.networks.forEach(([block, prefix], j) => {
      const size = 2 ** (32 - prefix);
      const first = (10 << 24) + Math.floor((block * 64) / size) * size;
      networks[`n${j}`] = `${formatAddress(first)}/${prefix}`;
    });
    return site({
      name: `s${i}`,
      routingDomain: s.domain,
      publicSegment: s.segment,
      networks,
      vips: { external: `192.0.2.${s.vips[0]}`, internal: `192.0.2.${100 + s.vips[1]}` },
      vrids: s.vrids,
    });
  });
}

describe('validateFleet against an all-pairs oracle', () => {
  it('finds a cross-site overlap exactly when one exists, and only real ones', () => {
    fc.assert(
      fc.property(fleetArb, (spec) => {
        const envs = buildFleet(spec);
        const ranges = envs.map((e) =>
          Object.entries(e.networks).map(([key, text]) => {
            const r = parseCidr(text);
            if (!r.ok) throw new Error('fixture CIDRs are valid');
            return { key, ...r.cidr };
          }),
        );
        const overlaps = (i: number, j: number, key?: string): boolean =>
          i !== j &&
          envs[i]!.routingDomain === envs[j]!.routingDomain &&
          ranges[i]!.some(
            (x) =>
              (key === undefined || x.key === key) &&
              ranges[j]!.some((y) => x.first <= y.last && y.first <= x.last),
          );
        const anyOverlap = envs.some((_, i) => envs.some((__, j) => overlaps(i, j)));
        const reported = validateFleet(envs).filter((x) => x.code === 'FLEET_NETWORK_OVERLAP');
        expect(reported.length > 0).toBe(anyOverlap);
        for (const r of reported) {
          const i = envs.findIndex((e) => e.name === r.site);
          expect(envs.some((_, j) => overlaps(i, j, String(r.path[1])))).toBe(true);
        }
        // Both sides: every site with a cross-site overlap carries at least one issue, so a
        // caller asking about one site never misses a conflict it is part of.
        const withOverlap = envs.filter((_, i) => envs.some((__, j) => overlaps(i, j))).map((e) => e.name);
        expect([...new Set(reported.map((r) => r.site))].sort()).toEqual(withOverlap.sort());
        // Completeness: a network that overlaps another site's network sorting before it (by
        // first address, then definition order) is part of a reported pair, as path or partner.
        const involved = new Set(
          reported.flatMap((r) => {
            const partner = /overlaps network "([^"]+)" \([^)]*\) of site (\S+) /.exec(r.message);
            return [`${r.site}/${String(r.path[1])}`, partner ? `${partner[2]}/${partner[1]}` : ''];
          }),
        );
        ranges.forEach((list, i) => {
          for (const x of list) {
            const hasEarlier = ranges.some(
              (other, j) =>
                j !== i &&
                envs[j]!.routingDomain === envs[i]!.routingDomain &&
                other.some((y) => (y.first < x.first || (y.first === x.first && j < i)) && y.last >= x.first),
            );
            if (hasEarlier) expect(involved).toContain(`${envs[i]!.name}/${x.key}`);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('finds duplicate VIPs and router ids exactly when they exist', () => {
    fc.assert(
      fc.property(fleetArb, (spec) => {
        const envs = buildFleet(spec);
        const issues = validateFleet(envs);
        const vipsOf = (e: Environment) => [e.haproxy.vips.external, e.haproxy.vips.internal];
        const pairs = envs.flatMap((a, i) => envs.slice(i + 1).map((b) => [a, b] as const));
        const vipDup = (a: Environment, b: Environment) => vipsOf(a).some((v) => vipsOf(b).includes(v));
        const vridDup = (a: Environment, b: Environment) =>
          a.publicSegment !== undefined &&
          a.publicSegment === b.publicSegment &&
          a.haproxy.keepalived.externalRouterId === b.haproxy.keepalived.externalRouterId;
        // Exactly the sites in a conflicting pair carry an issue of that code.
        const sitesIn = (dup: (a: Environment, b: Environment) => boolean) =>
          [...new Set(pairs.filter(([a, b]) => dup(a, b)).flatMap(([a, b]) => [a.name, b.name]))].sort();
        const sitesWith = (code: string) =>
          [...new Set(issues.filter((x) => x.code === code).map((x) => x.site))].sort();
        expect(sitesWith('FLEET_VIP_DUPLICATE')).toEqual(sitesIn(vipDup));
        expect(sitesWith('FLEET_VRID_CONFLICT')).toEqual(sitesIn(vridDup));
      }),
      { numRuns: 300 },
    );
  });
});

/** One of many sites, in the shape of bench/fleet.ts: own /22s, own /27, 3 haproxy hosts + computes. */
function syntheticSite(i: number, hostCount: number) {
  const d = guideInput();
  const block = (10 << 24) + i * 3 * 1024;
  const pub = (100 << 24) + (64 << 16) + i * 32;
  d.name = `site-${String(i).padStart(4, '0')}`;
  d.routingDomain = 'corp';
  Object.assign(d, { publicSegment: `edge-${Math.floor(i / 50)}` });
  d.networks = {
    container: `${formatAddress(block)}/22`,
    tunnel: `${formatAddress(block + 1024)}/22`,
    storage: `${formatAddress(block + 2048)}/22`,
    public_api: `${formatAddress(pub)}/27`,
  };
  d.reserved = {
    container: [`${formatAddress(block + 1)}-${formatAddress(block + 10)}`],
    public_api: [`${formatAddress(pub + 2)}-${formatAddress(pub + 4)}`],
  };
  const mac = (h: number, nic: number) =>
    [2, (i >>> 8) & 255, i & 255, 0, h, nic].map((b) => b.toString(16).padStart(2, '0')).join(':');
  d.hosts = {};
  for (let h = 0; h < hostCount; h++) {
    d.hosts[h < 3 ? `infra${h + 1}` : `cmp${h}`] =
      h < 3
        ? {
            ip: formatAddress(block + 11 + h),
            groups: ['shared-infra_hosts', 'haproxy_hosts'],
            bondMembers: { ens3: mac(h, 1), ens6: mac(h, 2) },
          }
        : { ip: formatAddress(block + 100 + h), groups: ['compute_hosts'] };
  }
  d.haproxy.publicNetwork.gateway = formatAddress(pub + 1);
  d.haproxy.vips = { external: formatAddress(pub + 3), internal: formatAddress(block + 9) };
  const slot = i % 50;
  d.haproxy.keepalived = { externalRouterId: 2 * slot + 1, internalRouterId: 2 * slot + 2 };
  d.deploy.runnerLabel = `osa-deploy-${d.name}`;
  return d;
}

describe('a fleet of 1,000 sites × 10 hosts', () => {
  const envs = Array.from({ length: 1000 }, (_, i) => validateEnvironment(syntheticSite(i, 10)));

  it('validates every site clean and passes the fleet checks', () => {
    expect(envs.flatMap((r) => r.issues)).toEqual([]);
    expect(validateFleet(envs.map((r) => r.environment!))).toEqual([]);
  });

  it('finds the one site that reuses another’s network', () => {
    const parsed = envs.map((r) => r.environment!);
    const last = parsed[999]!;
    parsed[999] = { ...last, networks: { ...last.networks, storage: parsed[0]!.networks.storage! } };
    expect(validateFleet(parsed)).toMatchObject([
      { code: 'FLEET_NETWORK_OVERLAP', site: 'site-0000', path: ['networks', 'storage'] },
      { code: 'FLEET_NETWORK_OVERLAP', site: 'site-0999', path: ['networks', 'storage'] },
    ]);
  });
});
