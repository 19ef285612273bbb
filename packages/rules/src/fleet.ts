import { type Environment, ipv4, issue, type Issue, sortIssues } from '@osa-gitops/core';
import { compareText, quote } from './context';
import { duplicateMacs } from './fleet-macs';
import { routerIdsInUseConflicts } from './router-ids-in-use';
const { parseAddress, parseCidr } = ipv4;

/**
 * Rule 13: checks across sites. Every check sorts or indexes (O(n log n) in the number of
 * networks, VIPs and router ids), never compares all pairs of sites, so a fleet of thousands of
 * sites stays fast. Values that do not parse are skipped: per-site validation reports them.
 *
 * A conflict concerns both sites, so it is reported on each side, each issue naming the other
 * site. Callers keep the issues of the sites they were asked about (`validate dc-a`, the action's
 * affected sites, `deploy dc-a`); blaming only one side let a new site that copied an old one
 * pass its own checks and block the untouched site's next deploy instead.
 */
export function validateFleet(envs: readonly Environment[]): Issue[] {
  const issues: Issue[] = [];
  duplicateSites(envs, issues);
  networkOverlaps(envs, issues);
  duplicateVips(envs, issues);
  routerIdConflicts(envs, issues);
  routerIdsInUseConflicts(envs, issues);
  duplicateRunnerLabels(envs, issues);
  duplicateMacs(envs, issues);
  return sortIssues(issues);
}

function duplicateSites(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<string, number>();
  envs.forEach((env, i) => {
    const earlier = first.get(env.name);
    if (earlier === undefined) {
      first.set(env.name, i);
      return;
    }
    issues.push(
      issue(
        'FLEET_DUPLICATE_SITE',
        env.name,
        ['name'],
        `site name ${quote(env.name)} is used by definitions #${earlier + 1} and #${i + 1}; expected unique site names (a name is a folder, a branch and a deploy target)`,
      ),
    );
  });
}

interface FleetNetwork {
  readonly site: number;
  readonly key: string;
  readonly text: string;
  readonly first: number;
  readonly last: number;
}

/**
 * Per routing domain: sort by first address and sweep. `best` is the network reaching furthest;
 * `other` is the one reaching furthest among sites other than best's, so an earlier network of
 * a different site that overlaps the current one is always one of the two.
 */
function networkOverlaps(envs: readonly Environment[], issues: Issue[]): void {
  const byDomain = new Map<string, FleetNetwork[]>();
  envs.forEach((env, site) => {
    for (const [key, text] of Object.entries(env.networks)) {
      const parsed = parseCidr(text);
      if (!parsed.ok) continue;
      const list = byDomain.get(env.routingDomain) ?? [];
      list.push({ site, key, text, first: parsed.cidr.first, last: parsed.cidr.last });
      byDomain.set(env.routingDomain, list);
    }
  });
  for (const [domain, list] of byDomain) {
    list.sort((a, b) => a.first - b.first || a.site - b.site || compareText(a.key, b.key));
    let best: FleetNetwork | undefined;
    let other: FleetNetwork | undefined;
    for (const cur of list) {
      const hit = best !== undefined && best.site !== cur.site ? best : other;
      if (hit !== undefined && hit.site !== cur.site && hit.last >= cur.first) {
        overlapIssue(envs, domain, cur, hit, issues);
        overlapIssue(envs, domain, hit, cur, issues);
      }
      if (best === undefined || cur.last > best.last) {
        if (best !== undefined && best.site !== cur.site) other = best;
        best = cur;
      } else if (cur.site !== best.site && (other === undefined || cur.last > other.last)) {
        other = cur;
      }
    }
  }
}

/** `net` (of its site) overlaps `other` (of another site). */
function overlapIssue(
  envs: readonly Environment[],
  domain: string,
  net: FleetNetwork,
  other: FleetNetwork,
  issues: Issue[],
): void {
  issues.push(
    issue(
      'FLEET_NETWORK_OVERLAP',
      envs[net.site]!.name,
      ['networks', net.key],
      `${net.text} overlaps network ${quote(other.key)} (${other.text}) of site ${envs[other.site]!.name} in routing domain ${quote(domain)}; expected disjoint networks between sites that are routed together`,
    ),
  );
}

/**
 * VIPs are compared across the whole fleet, not per routing domain: a VIP is a site's API
 * endpoint, and the same one in two definitions is almost always a copied definition.
 */
function duplicateVips(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<number, { site: number; which: 'external' | 'internal' }>();
  envs.forEach((env, site) => {
    for (const which of ['external', 'internal'] as const) {
      const address = parseAddress(env.haproxy.vips[which]);
      if (address === undefined) continue;
      const earlier = first.get(address);
      if (earlier === undefined) {
        first.set(address, { site, which });
      } else if (earlier.site !== site) {
        const other = envs[earlier.site]!;
        issues.push(
          issue(
            'FLEET_VIP_DUPLICATE',
            env.name,
            ['haproxy', 'vips', which],
            `${which} VIP ${env.haproxy.vips[which]} is also the ${earlier.which} VIP of site ${other.name}; expected a VIP per site`,
          ),
          issue(
            'FLEET_VIP_DUPLICATE',
            other.name,
            ['haproxy', 'vips', earlier.which],
            `${earlier.which} VIP ${other.haproxy.vips[earlier.which]} is also the ${which} VIP of site ${env.name}; expected a VIP per site`,
          ),
        );
      }
    }
  });
}

/**
 * Sites on one public L2 segment (`publicSegment`) see each other's VRRP adverts; keepalived
 * instances with the same virtual router id then fight over one virtual MAC (docs/osa-facts.md#keepalived-vrid). Only the external instance runs on the public VLAN: the internal one
 * advertises on eth1 (br-mgmt), each site's own management network, so internal ids of different
 * sites never meet and are not compared (the per-site rule keeps a site's two ids apart).
 */
function routerIdConflicts(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<string, number>();
  envs.forEach((env, site) => {
    const segment = env.publicSegment;
    if (segment === undefined) return;
    const id = env.haproxy.keepalived.externalRouterId;
    const slot = `${segment}\u0000${id}`;
    const earlier = first.get(slot);
    if (earlier === undefined) {
      first.set(slot, site);
      return;
    }
    if (earlier === site) return;
    for (const [self, other] of [
      [env, envs[earlier]!],
      [envs[earlier]!, env],
    ] as const) {
      issues.push(
        issue(
          'FLEET_VRID_CONFLICT',
          self.name,
          ['haproxy', 'keepalived', 'externalRouterId'],
          `external virtual router id ${id} is also used by site ${other.name} on public segment ${quote(segment)}; expected external ids unique per L2 segment`,
        ),
      );
    }
  });
}

/**
 * A site's deploy job runs on `[self-hosted, <runnerLabel>]`, behind that site's environment. Two
 * sites with one label would let a change approved for one site run on the other's deploy host
 * (with the other's config dir and credentials); a new site could claim an existing site's
 * runner just by naming its label. Labels are compared ignoring case: GitHub's runner labels are
 * case-insensitive ("Using labels with self-hosted runners", docs.github.com).
 */
function duplicateRunnerLabels(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<string, number>();
  envs.forEach((env, site) => {
    const label = env.deploy.runnerLabel;
    const earlier = first.get(label.toLowerCase());
    if (earlier === undefined) {
      first.set(label.toLowerCase(), site);
      return;
    }
    const other = envs[earlier]!;
    if (other.name === env.name) return; // FLEET_DUPLICATE_SITE already says it
    issues.push(
      issue(
        'FLEET_RUNNER_LABEL_DUPLICATE',
        env.name,
        ['deploy', 'runnerLabel'],
        `runner label ${quote(label)} is also the runner label of site ${other.name}; expected a runner label per site (its deploy would run on the other site's deploy host)`,
      ),
      issue(
        'FLEET_RUNNER_LABEL_DUPLICATE',
        other.name,
        ['deploy', 'runnerLabel'],
        `runner label ${quote(other.deploy.runnerLabel)} is also the runner label of site ${env.name}; expected a runner label per site (its deploy would run on the other site's deploy host)`,
      ),
    );
  });
}
