import type { Environment } from '../model/schema';
import { issue, sortIssues, type Issue } from '../issues';
import { compareText, quote } from './context';
import { parseAddress, parseCidr } from './ipv4';

/**
 * Rule 13: checks across sites. Every check sorts or indexes (O(n log n) in the number of
 * networks, VIPs and router ids), never compares all pairs of sites, so a fleet of thousands of
 * sites stays fast. An issue belongs to the later definition (by position in `envs`) and names
 * the earlier one. Values that do not parse are skipped: per-site validation reports them.
 */
export function validateFleet(envs: readonly Environment[]): Issue[] {
  const issues: Issue[] = [];
  duplicateSites(envs, issues);
  networkOverlaps(envs, issues);
  duplicateVips(envs, issues);
  routerIdConflicts(envs, issues);
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
        const [later, earlier] = cur.site > hit.site ? [cur, hit] : [hit, cur];
        const laterEnv = envs[later.site]!;
        const earlierEnv = envs[earlier.site]!;
        issues.push(
          issue(
            'FLEET_NETWORK_OVERLAP',
            laterEnv.name,
            ['networks', later.key],
            `${later.text} overlaps network ${quote(earlier.key)} (${earlier.text}) of site ${earlierEnv.name} in routing domain ${quote(domain)}; expected disjoint networks between sites that are routed together`,
          ),
        );
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

/**
 * VIPs are compared across the whole fleet, not per routing domain: a VIP is a site's API
 * endpoint, and the same one in two definitions is almost always a copied definition.
 */
function duplicateVips(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<number, { site: number; which: string }>();
  envs.forEach((env, site) => {
    for (const which of ['external', 'internal'] as const) {
      const address = parseAddress(env.haproxy.vips[which]);
      if (address === undefined) continue;
      const earlier = first.get(address);
      if (earlier === undefined) {
        first.set(address, { site, which });
      } else if (earlier.site !== site) {
        issues.push(
          issue(
            'FLEET_VIP_DUPLICATE',
            env.name,
            ['haproxy', 'vips', which],
            `${which} VIP ${env.haproxy.vips[which]} is already the ${earlier.which} VIP of site ${envs[earlier.site]!.name}; expected a VIP per site`,
          ),
        );
      }
    }
  });
}

/**
 * Sites on one public L2 segment (`publicSegment`) see each other's VRRP adverts; keepalived
 * instances with the same virtual router id then fight over one virtual MAC (osa-reference §5
 * "unique per L2 segment"). Both of a site's ids are compared, as the model documents.
 */
function routerIdConflicts(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<string, { site: number; key: string }>();
  envs.forEach((env, site) => {
    const segment = env.publicSegment;
    if (segment === undefined) return;
    const { externalRouterId, internalRouterId } = env.haproxy.keepalived;
    for (const [key, id] of [
      ['externalRouterId', externalRouterId],
      ['internalRouterId', internalRouterId],
    ] as const) {
      const slot = `${segment}\u0000${id}`;
      const earlier = first.get(slot);
      if (earlier === undefined) {
        first.set(slot, { site, key });
      } else if (earlier.site !== site) {
        issues.push(
          issue(
            'FLEET_VRID_CONFLICT',
            env.name,
            ['haproxy', 'keepalived', key],
            `virtual router id ${id} is already used by site ${envs[earlier.site]!.name} (${earlier.key}) on public segment ${quote(segment)}; expected ids unique per L2 segment`,
          ),
        );
      }
    }
  });
}
