import { type Environment, issue, type Issue, MAC_ADDRESS } from '@osa-gitops/core';

/**
 * Rule 13, hardware identity: a bond member's MAC belongs to one NIC in the whole fleet. The same
 * MAC on hosts of two sites is a definition copied from another site with the hosts' NICs left
 * as they were: the `.link` files then match nothing on the new hosts (or, on one L2 domain, two
 * NICs claim one address). Indexed by MAC, one pass: no comparison of all pairs of sites.
 * Duplicates inside one site are MAC_DUPLICATE (vlan-mac.ts); invalid MACs are skipped here.
 */
export function duplicateMacs(envs: readonly Environment[], issues: Issue[]): void {
  const first = new Map<string, { site: number; host: string; nic: string }>();
  envs.forEach((env, site) => {
    for (const host of Object.keys(env.hosts).sort()) {
      const members = env.hosts[host]!.bondMembers ?? {};
      for (const nic of Object.keys(members).sort()) {
        const mac = members[nic]!;
        if (!MAC_ADDRESS.test(mac)) continue;
        const key = mac.toLowerCase();
        const earlier = first.get(key);
        if (earlier === undefined) {
          first.set(key, { site, host, nic });
          continue;
        }
        if (earlier.site === site) continue;
        const other = envs[earlier.site]!;
        const expected = `expected each NIC's own MAC (a definition copied from another site keeps the other site's NICs)`;
        issues.push(
          issue(
            'FLEET_MAC_DUPLICATE',
            env.name,
            ['hosts', host, 'bondMembers', nic],
            `${mac} is also the MAC of ${earlier.host} ${earlier.nic} in site ${other.name}; ${expected}`,
          ),
          issue(
            'FLEET_MAC_DUPLICATE',
            other.name,
            ['hosts', earlier.host, 'bondMembers', earlier.nic],
            `${other.hosts[earlier.host]!.bondMembers![earlier.nic]} is also the MAC of ${host} ${nic} in site ${env.name}; ${expected}`,
          ),
        );
      }
    }
  });
}
