import type { EnvironmentInput } from '@osa-gitops/core';
import { isMapping } from './config-dir';
import { finding, type ImportFinding } from './findings';
import { containsTemplate } from './jinja';

type ProviderNetworkInput = EnvironmentInput['providerNetworks'][number];

export interface ImportedNetwork {
  readonly net: ProviderNetworkInput;
  readonly file: string;
  readonly path: readonly (string | number)[];
}

/** OSA key → model key, for the keys the model carries as strings. */
const STRING_KEYS: Record<string, keyof ProviderNetworkInput> = {
  container_bridge: 'bridge',
  container_interface: 'containerInterface',
  ip_from_q: 'ipFromQ',
  address_prefix: 'addressPrefix',
  range: 'range',
  net_name: 'netName',
  host_bind_override: 'hostBindOverride',
  reference_group: 'referenceGroup',
  gateway: 'gateway',
};
const ENUMS: Record<string, [keyof ProviderNetworkInput, readonly string[]]> = {
  container_type: ['containerType', ['veth', 'phys']],
  container_bridge_type: ['bridgeType', ['linuxbridge', 'openvswitch']],
  type: ['type', ['raw', 'vlan', 'flat', 'vxlan', 'geneve']],
};

/**
 * `global_overrides.provider_networks` → the model's flat entries. OSA reads each item's
 * `network:` mapping and skips an item whose `network` is empty (openstack-ansible
 * `osa_toolkit/generate.py` @ ff08037: `p_net = pn.get('network'); if not p_net: continue`), which
 * is what the guide's indentation produces: its keys end up beside `network:`. Such an item is
 * imported as meant, with a trap finding, because the definition always nests the keys.
 */
export function importProviderNetworks(
  value: unknown,
  file: string,
  base: readonly (string | number)[],
): {
  networks: ImportedNetwork[];
  findings: ImportFinding[];
} {
  const findings: ImportFinding[] = [];
  const networks: ImportedNetwork[] = [];
  if (!Array.isArray(value)) {
    findings.push(
      finding(
        'IMPORT_LEFT_OUT',
        file,
        base,
        'provider_networks is not a list',
        'no provider network imported',
      ),
    );
    return { networks, findings };
  }
  value.forEach((item, i) => {
    const path = [...base, i];
    if (!isMapping(item)) {
      findings.push(finding('IMPORT_LEFT_OUT', file, path, 'the item is not a mapping', 'not imported'));
      return;
    }
    let raw: Record<string, unknown>;
    let at: (string | number)[] = [...path, 'network'];
    if (isMapping(item.network) && Object.keys(item.network).length > 0) {
      raw = item.network;
      for (const key of Object.keys(item)) {
        if (key !== 'network') {
          findings.push(
            finding(
              'IMPORT_LEFT_OUT',
              file,
              [...path, key],
              `${key} beside network: OSA reads only the keys under network:`,
              'not imported',
            ),
          );
        }
      }
    } else {
      const { network: _ignored, ...beside } = item;
      if (Object.keys(beside).length === 0) {
        findings.push(
          finding('IMPORT_LEFT_OUT', file, path, 'an empty provider network (OSA skips it)', 'not imported'),
        );
        return;
      }
      raw = beside;
      at = path;
      findings.push(
        finding(
          'IMPORT_PROVIDER_NETWORK_BESIDE',
          file,
          path,
          `the keys of this provider network (${Object.keys(beside).join(', ')}) sit beside network: instead of under it, so network: is empty and OSA skips the whole network without a word: today no container gets it`,
          'imported as meant; the rendered openstack_user_config.yml nests the keys under network:, so the containers get this network',
        ),
      );
    }
    if (containsTemplate(raw)) {
      findings.push(
        finding(
          'IMPORT_JINJA_UNRESOLVED',
          file,
          at,
          'a provider network with Jinja templates in it',
          'not imported',
        ),
      );
      return;
    }
    const net: Partial<Record<keyof ProviderNetworkInput, unknown>> = {};
    for (const [key, v] of Object.entries(raw)) {
      const stringKey = STRING_KEYS[key];
      const enumKey = ENUMS[key];
      if (stringKey !== undefined && (typeof v === 'string' || typeof v === 'number')) {
        net[stringKey] = String(v);
      } else if (enumKey !== undefined && typeof v === 'string' && enumKey[1].includes(v)) {
        net[enumKey[0]] = v;
      } else if (key === 'group_binds' && Array.isArray(v) && v.every((g) => typeof g === 'string')) {
        net.groupBinds = [...v];
      } else if (
        (key === 'is_management_address' || key === 'is_container_address') &&
        typeof v === 'boolean'
      ) {
        net.isManagementAddress = v;
      } else if (key === 'container_mtu' && (typeof v === 'number' || /^\d+$/.test(String(v)))) {
        net.mtu = Number(v);
      } else if (
        key === 'static_routes' &&
        Array.isArray(v) &&
        v.every(
          (r) =>
            isMapping(r) &&
            typeof r.cidr === 'string' &&
            typeof r.gateway === 'string' &&
            Object.keys(r).length === 2,
        )
      ) {
        net.staticRoutes = v.map((r) => ({
          cidr: (r as { cidr: string }).cidr,
          gateway: (r as { gateway: string }).gateway,
        }));
      } else {
        findings.push(
          finding(
            'IMPORT_LEFT_OUT',
            file,
            [...at, key],
            `${key}: ${JSON.stringify(v)} is not something the definition models (or not in a form it accepts)`,
            'not imported',
          ),
        );
      }
    }
    if (net.bridge === undefined || net.groupBinds === undefined) {
      findings.push(
        finding(
          'IMPORT_LEFT_OUT',
          file,
          at,
          'a provider network without container_bridge or group_binds',
          'not imported: the definition needs both',
        ),
      );
      return;
    }
    if (net.type === undefined) {
      net.type = 'raw';
      findings.push(
        finding(
          'IMPORT_DEFAULT_TAKEN',
          file,
          at,
          'no type: set',
          'imported as type: raw (rendered explicitly)',
        ),
      );
    }
    networks.push({ net: net as ProviderNetworkInput, file, path: at });
  });
  return { networks, findings };
}
