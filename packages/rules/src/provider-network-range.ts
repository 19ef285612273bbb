import type { SiteContext } from './context';
import { quote } from './context';

/**
 * Rule 8b, `providerNetworks[].range` (PROVIDER_RANGE_INVALID): the one provider-network string
 * OSA hands on as it is, into neutron's ML2 configuration, and that was written verbatim (issue 26:
 * it took `$(id)`, quotes, `: x`, a single `{` and a `#jinja2:` header line).
 *
 * OSA's `provider_networks` module (openstack.osa collection, plugins/modules/provider_networks.py)
 * reads it as:
 * - `vlan`: split on `,`, each part stripped and written `<net_name>:<part>` into
 *   `network_vlan_ranges`, so each part is `<first>:<last>` VLAN ids (1–4094);
 * - `vxlan`, `geneve`: the whole string, into `vni_ranges`: `<first>:<last>[,<first>:<last>…]` of
 *   VNIs (1–16777215); without a `range` the module fails on the missing key;
 * - any other type: not read at all.
 * So a range is refused unless it is exactly that: decimal ids in bounds, first ≤ last, parts
 * joined by `,` with at most one space after it (OSA's own example: `"1:1, 101:101"`).
 */
const LIMITS: Readonly<Record<string, { readonly what: string; readonly max: number }>> = {
  vlan: { what: 'VLAN ids', max: 4094 },
  vxlan: { what: 'VXLAN VNIs', max: 16_777_215 },
  geneve: { what: 'Geneve VNIs', max: 16_777_215 },
};

const PART = /^(0|[1-9]\d{0,7}):(0|[1-9]\d{0,7})$/;

/** Why `range` is not a valid range of `type`, or undefined. */
export function rangeProblem(type: string, range: string): string | undefined {
  const limits = LIMITS[type];
  if (limits === undefined) {
    return `a ${type} network has no range (OSA reads it only for vlan, vxlan and geneve networks)`;
  }
  const parts = range.split(/, ?/);
  for (const part of parts) {
    const m = PART.exec(part);
    if (m === null) {
      return `${quote(range)} is not a list of <first>:<last> ${limits.what} joined by ","`;
    }
    const first = Number(m[1]);
    const last = Number(m[2]);
    if (first < 1 || last > limits.max) {
      return `${quote(part)} is outside 1–${limits.max}, the ${limits.what} neutron accepts`;
    }
    if (first > last) return `${quote(part)} starts after it ends`;
  }
  return undefined;
}

export function checkProviderNetworkRanges(ctx: SiteContext): void {
  ctx.env.providerNetworks.forEach((net, i) => {
    const path = ['providerNetworks', i, 'range'];
    if (net.range === undefined) {
      if (net.type === 'vxlan' || net.type === 'geneve') {
        ctx.report(
          'PROVIDER_RANGE_INVALID',
          path,
          `a ${net.type} network without a range; expected one such as "1:1000", because OSA's provider_networks module reads it unconditionally and fails without it`,
        );
      }
      return;
    }
    const problem = rangeProblem(net.type, net.range);
    if (problem !== undefined) {
      ctx.report(
        'PROVIDER_RANGE_INVALID',
        path,
        `range ${problem}; expected ${net.type === 'vlan' ? 'VLAN ranges such as "101:200,301:400"' : LIMITS[net.type] ? 'VNI ranges such as "1:1000"' : 'no range on this network'}, because OSA writes it into neutron's ML2 configuration as it is`,
      );
    }
  });
}
