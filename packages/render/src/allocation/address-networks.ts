import ipaddr from 'ipaddr.js';
import { parse } from 'yaml';

/** The network behind one `container_networks` key, from the rendered user config. */
export interface AddressNetwork {
  /** The `cidr_networks` name (`ip_from_q`). */
  readonly network: string;
  readonly cidr: string;
}

/**
 * `container_networks` key → its network's CIDR, read from a rendered `openstack_user_config.yml`
 * the way OSA's generator names the keys: `<address_prefix>_address`, else `<ip_from_q>_address`
 * (openstack-ansible `osa_toolkit/generate.py` `_add_additional_networks` @ ff08037). Entries
 * the text does not describe are left out; bad text gives an empty map (the preview then only
 * skips the stale-address check).
 */
export function addressNetworksFromUserConfig(text: string): Map<string, AddressNetwork> {
  const out = new Map<string, AddressNetwork>();
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return out;
  }
  const root = record(doc);
  const cidrs = record(root?.cidr_networks);
  const overrides = record(root?.global_overrides);
  const providers = Array.isArray(overrides?.provider_networks) ? overrides.provider_networks : [];
  for (const item of providers) {
    const net = record(record(item)?.network);
    const q = typeof net?.ip_from_q === 'string' ? net.ip_from_q : undefined;
    const prefix = typeof net?.address_prefix === 'string' ? net.address_prefix : undefined;
    const cidr = q !== undefined ? cidrs?.[q] : undefined;
    if (q === undefined || typeof cidr !== 'string') continue;
    out.set(`${prefix ?? q}_address`, { network: q, cidr });
  }
  return out;
}

/** Whether an IPv4 address lies inside a CIDR; false for anything unparsable. */
export function addressInCidr(address: string, cidr: string): boolean {
  try {
    const ip = ipaddr.parse(address);
    const [range, bits] = ipaddr.parseCIDR(cidr);
    return ip.kind() === range.kind() && ip.match(range, bits);
  } catch {
    return false;
  }
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
