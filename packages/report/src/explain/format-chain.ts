import type { BridgeChain, ChainUse, HostChain } from './host-chain';

/**
 * Host chains as plain text lines (the `explain` command, and the PR report inside a code block):
 *
 *     east-infra1 10.30.0.11 (shared-infra_hosts, haproxy_hosts, …)
 *       ens3 02:30:00:00:01:01 + ens6 02:30:00:00:01:02 → bond0 → vlan-mgmt (VLAN 10) → br-mgmt 10.30.0.11/22
 *         → eth1 of galera_container, haproxy_container → container_address (container 10.30.0.0/22); internal VIP 10.30.0.10
 *         → the host itself → container_address 10.30.0.11
 *
 * `✖` marks a bridge that is needed but not built, `⚠` one that is built but not needed.
 */
export function formatHostChains(chains: readonly HostChain[]): string[] {
  const out: string[] = [];
  for (const chain of chains) {
    const where = chain.ip !== undefined ? ` ${chain.ip}` : '';
    out.push(`${chain.host}${where} (${chain.groups.join(', ')})`);
    if (!chain.modelled) out.push('  networking not built by osa-gitops (no bond members): it must provide:');
    if (chain.bridges.length === 0) out.push('  no bridge needed');
    for (const b of chain.bridges) {
      out.push(`  ${bridgeLine(b)}`);
      for (const u of b.uses) out.push(`    → ${useLine(u)}`);
      if (b.status === 'unused') out.push('    → nothing on this host uses it');
    }
  }
  return out;
}

function bridgeLine(b: BridgeChain): string {
  const s = b.source;
  switch (s.kind) {
    case 'bond-vlan': {
      // A haproxy host without bond members (BOND_MEMBERS_MISSING) still gets the VLAN on the bond.
      const nics =
        s.nics.length > 0 ? `${s.nics.map((n) => (n.mac ? `${n.nic} ${n.mac}` : n.nic)).join(' + ')} → ` : '';
      const id = s.vlanId !== undefined ? ` (VLAN ${s.vlanId})` : '';
      const addr = s.address !== undefined ? ` ${s.address}` : '';
      const gw = s.gateway !== undefined ? ` via ${s.gateway}` : '';
      const mark = b.status === 'unused' ? '⚠ ' : '';
      return `${mark}${nics}${s.bond ?? '?'} → ${s.vlan}${id} → ${b.bridge}${addr}${gw}`;
    }
    case 'external': {
      const mark = b.status === 'unused' ? '⚠ ' : '';
      const via = s.interface !== undefined ? `${s.interface} → ` : '';
      return `${mark}${via}${b.bridge}${s.hostIp ? ' (host ip)' : ''} (outside the bond, not built by osa-gitops)`;
    }
    case 'not-modelled':
      return `${b.bridge} (needed; built outside osa-gitops)`;
    case 'not-built':
      return `${b.bridge} (needed; not built by osa-gitops: declared outside the bond, or missing, see the validation issues)`;
    case 'missing':
      return `✖ ${b.bridge}: needed, but no VLAN or external bridge builds it`;
  }
}

function useLine(u: ChainUse): string {
  const who =
    u.members[0] === 'host' ? 'the host itself' : `${u.interface ?? '?'} of ${u.members.join(', ')}`;
  const parts = [`${who} → ${u.key}`];
  const details: string[] = [];
  if (u.address !== undefined) details.push(u.address);
  if (u.cidr !== undefined) details.push(u.cidr);
  let line = `${parts.join('')}${details.length > 0 ? ` (${details.join(', ')})` : ''}, ${u.network}`;
  if (u.defaultGateway !== undefined) line += `; default route via ${u.defaultGateway}`;
  if (u.vips.length > 0) line += `; ${u.vips.join(', ')}`;
  if (u.bindOverride !== undefined) line += `; neutron binds ${u.bindOverride} instead`;
  return line;
}
