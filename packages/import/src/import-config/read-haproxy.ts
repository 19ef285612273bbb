// Reads HAProxy and keepalived as the haproxy containers see them: VIPs, binds, keepalived instances, the
// public network.
import { HAPROXY_GROUP, ipv4, isDnsName, type EnvironmentInput } from '@osa-gitops/core';
import { isMapping } from '../config-dir';
import { finding, ImportInputError } from '../findings';
import { isTemplate, resolveTemplate } from '../jinja';
import type { HostNetworkd } from '../networkd';
import type { ImportedNetwork } from '../provider-networks';
import type { VarScope } from '../variables';
import { reportShadowed } from './report-shadowed';
import type { Emit } from './types';
const { parseAddress } = ipv4;

export function readHaproxy(
  scope: VarScope,
  providerNetworks: readonly ImportedNetwork[],
  publicNet: ImportedNetwork,
  publicVlan: HostNetworkd['public'],
  emit: Emit,
  templatesUnread: boolean,
): EnvironmentInput['haproxy'] {
  const get = (name: string) => {
    const { hit, shadowed } = scope.lookup(name);
    reportShadowed(hit, shadowed, emit);
    if (hit !== undefined && isTemplate(hit.value)) {
      const r = resolveTemplate(hit.value, {
        isMetal: false,
        groups: new Set([HAPROXY_GROUP]),
        lookup: (n) => scope.lookup(n).hit,
      });
      if (r.ok && r.pattern === 'variable') {
        emit(
          finding(
            'IMPORT_JINJA_RESOLVED',
            hit.file,
            hit.path,
            'a reference to another variable',
            'read as that variable’s value',
          ),
        );
        return { hit, value: r.value };
      }
    }
    return hit === undefined ? undefined : { hit, value: hit.value };
  };
  const mgmt = providerNetworks.find((n) => n.net.isManagementAddress);
  const pub = publicNet.net;

  // VIPs: keepalived's CIDRs are what is on the wire; the *_lb_vip_address are what services use.
  let lbExternalName: string | undefined;
  const vip = (side: 'external' | 'internal'): string => {
    const cidr = get(`haproxy_keepalived_${side}_vip_cidr`);
    const lb = get(`${side}_lb_vip_address`);
    const fromCidr = typeof cidr?.value === 'string' ? cidr.value.replace(/\/32$/, '') : undefined;
    const lbValue = typeof lb?.value === 'string' ? lb.value : undefined;
    if (fromCidr !== undefined && parseAddress(fromCidr) !== undefined) {
      if (lbValue !== undefined && lbValue !== fromCidr) {
        const isName = parseAddress(lbValue) === undefined;
        const asExternalName = isName && side === 'external' && isDnsName(lbValue);
        if (asExternalName) lbExternalName = lbValue;
        emit(
          isName
            ? finding(
                'IMPORT_LEFT_OUT',
                lb!.hit.file,
                lb!.hit.path,
                `${side}_lb_vip_address is the name ${lbValue}`,
                asExternalName
                  ? `imported as haproxy.vips.externalName, which goes into the HAProxy certificate; the definition renders the VIP ${fromCidr} as ${side}_lb_vip_address`
                  : `not imported: the definition renders the VIP ${fromCidr} as ${side}_lb_vip_address`,
              )
            : finding(
                'IMPORT_VIP_MISMATCH',
                lb!.hit.file,
                lb!.hit.path,
                `${side}_lb_vip_address ${lbValue} differs from keepalived's ${side} VIP ${cidr!.value}: services are pointed at an address keepalived does not bring up`,
                `imported ${fromCidr} (keepalived's) for both`,
              ),
        );
      }
      if (typeof cidr?.value === 'string' && !cidr.value.endsWith('/32') && cidr.value.includes('/')) {
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            cidr.hit.file,
            cidr.hit.path,
            `the ${side} VIP is ${cidr.value}`,
            `imported as ${fromCidr}; the definition renders it as /32`,
          ),
        );
      }
      return fromCidr;
    }
    if (lbValue !== undefined && parseAddress(lbValue) !== undefined) {
      emit(
        finding(
          'IMPORT_ADDED',
          lb!.hit.file,
          lb!.hit.path,
          `no haproxy_keepalived_${side}_vip_cidr: keepalived uses OSA's placeholder VIP (169.254.x.1/24)`,
          `the definition renders haproxy_keepalived_${side}_vip_cidr ${lbValue}/32`,
        ),
      );
      return lbValue;
    }
    throw new ImportInputError(
      `no ${side} VIP: neither haproxy_keepalived_${side}_vip_cidr nor ${side}_lb_vip_address is an IPv4 address`,
    );
  };
  const external = vip('external');
  const internal = vip('internal');
  // The site's published name: the external TLS bind's SAN records as osa-gitops renders them
  // (render/user-variables.ts), else a name in external_lb_vip_address.
  const tls = get('haproxy_tls_vip_binds');
  const externalBind = Array.isArray(tls?.value)
    ? tls.value.find((b) => isMapping(b) && b.type === 'external')
    : undefined;
  const sanNames = (
    isMapping(externalBind) && Array.isArray(externalBind.pki_san_records) ? externalBind.pki_san_records : []
  ).filter((r): r is string => typeof r === 'string' && parseAddress(r) === undefined && isDnsName(r));
  const externalName = sanNames[0] ?? lbExternalName;

  // Binds.
  const extIf = get('haproxy_bind_external_lb_vip_interface');
  const intIf = get('haproxy_bind_internal_lb_vip_interface');
  const extAddr = get('haproxy_bind_external_lb_vip_address');
  const intAddr = get('haproxy_bind_internal_lb_vip_address');
  let bind: 'interface' | 'address';
  if (extIf?.value !== undefined && extIf.value !== null) {
    bind = 'interface';
    if (extIf.value !== pub.containerInterface) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          extIf.hit.file,
          extIf.hit.path,
          `HAProxy binds ${String(extIf.value)}, not the public network's ${pub.containerInterface}`,
          `the definition binds ${pub.containerInterface}`,
        ),
      );
    }
    if (mgmt?.net.containerInterface !== undefined && intIf?.value !== mgmt.net.containerInterface) {
      emit(
        finding(
          'IMPORT_ADDED',
          intIf?.hit.file ?? extIf.hit.file,
          intIf?.hit.path ?? extIf.hit.path,
          `the internal bind interface is ${JSON.stringify(intIf?.value ?? null)}`,
          `the definition binds the management network's ${mgmt.net.containerInterface}`,
        ),
      );
    }
    for (const a of [extAddr, intAddr]) {
      if (a !== undefined && a.value !== '*')
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            a.hit.file,
            a.hit.path,
            `bind address ${JSON.stringify(a.value)} with an interface bind`,
            'the definition binds "*" on the interface',
          ),
        );
    }
  } else {
    bind = 'address';
    for (const [a, want] of [
      [extAddr, external],
      [intAddr, internal],
    ] as const) {
      if (a === undefined) {
        continue;
      }
      if (typeof a.value === 'string' && /container_networks\s*\[/.test(a.value)) {
        emit(
          finding(
            'IMPORT_BIND_CONTAINER_ADDRESS',
            a.hit.file,
            a.hit.path,
            `HAProxy binds the container's own address (${a.value}); keepalived adds the VIP as a further address, and a socket bound to the container's address does not accept the VIP's traffic`,
            `the definition binds the VIP ${want} (haproxy_bind_on_non_local lets the backups bind it too)`,
          ),
        );
      } else if (a.value !== want) {
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            a.hit.file,
            a.hit.path,
            `HAProxy binds ${JSON.stringify(a.value)}`,
            `the definition binds the VIP ${want}`,
          ),
        );
      }
    }
    if (extAddr === undefined && intAddr === undefined) {
      emit(
        finding(
          'IMPORT_DEFAULT_TAKEN',
          'user_variables.yml',
          [],
          'no HAProxy bind variables: OSA binds the *_lb_vip_address',
          'imported as bind: address',
        ),
      );
    }
  }

  // keepalived.
  for (const [side, want] of [
    ['external', pub.containerInterface],
    ['internal', mgmt?.net.containerInterface],
  ] as const) {
    const v = get(`haproxy_keepalived_${side}_interface`);
    if (v === undefined) {
      emit(
        finding(
          'IMPORT_ADDED',
          'user_variables.yml',
          [],
          `haproxy_keepalived_${side}_interface is not set: keepalived uses management_bridge, which does not exist inside the container`,
          `the definition renders ${want ?? '(the management network’s interface)'}`,
        ),
      );
    } else if (v.value !== want) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          v.hit.file,
          v.hit.path,
          `keepalived's ${side} instance is on ${JSON.stringify(v.value)}`,
          `the definition puts it on ${want ?? 'the management network’s interface'}`,
        ),
      );
    }
  }
  const vrid = (side: string, dflt: number): number => {
    const v = get(`haproxy_keepalived_${side}_virtual_router_id`);
    if (typeof v?.value === 'number') return v.value;
    if (typeof v?.value === 'string' && /^\d+$/.test(v.value)) return Number(v.value);
    return dflt;
  };
  const useKeepalived = get('haproxy_use_keepalived');
  if (useKeepalived?.value !== true) {
    emit(
      finding(
        'IMPORT_ADDED',
        useKeepalived?.hit.file ?? 'user_variables.yml',
        useKeepalived?.hit.path ?? [],
        'haproxy_use_keepalived is not true: OSA enables keepalived only with more than one haproxy host',
        'the definition renders haproxy_use_keepalived: true',
      ),
    );
  }

  // The internal instance's ping target, when the config names one (127.0.0.1, OSA's fallback,
  // is what the definition renders when there is nothing better; see render/user-variables.ts).
  const ping = get('keepalived_internal_ping_address');
  const internalPing =
    typeof ping?.value === 'string' && ping.value !== '127.0.0.1' && parseAddress(ping.value) !== undefined
      ? ping.value
      : undefined;

  if (publicVlan === undefined) {
    throw new ImportInputError(
      `no haproxy host builds the public bridge ${pub.bridge} from a VLAN on a bond through openstack_hosts_systemd_networkd_devices/_networks: the definition needs the public VLAN id and bond` +
        (templatesUnread
          ? ' (those lists are Jinja templates import does not read: write them as plain lists, or in the shape of the OSA guide’s list builder, docs/import.md)'
          : ''),
    );
  }
  const defaultVlanName = `vlan-${pub.bridge.replace(/^br-/, '')}`;
  const gateway = pub.staticRoutes?.find((r) => r.cidr === '0.0.0.0/0')?.gateway ?? pub.gateway!;
  const mtu = pub.mtu ?? publicVlan.mtu;
  return {
    publicNetwork: {
      cidrName: pub.ipFromQ!,
      gateway,
      vlan: publicVlan.id,
      ...(publicVlan.name !== defaultVlanName ? { vlanInterface: publicVlan.name } : {}),
      bond: publicVlan.bond,
      bridge: pub.bridge,
      containerInterface: pub.containerInterface!,
      ...(mtu !== undefined ? { mtu } : {}),
    },
    vips: { external, internal, ...(externalName !== undefined ? { externalName } : {}) },
    bind,
    keepalived: {
      externalRouterId: vrid('external', 10),
      internalRouterId: vrid('internal', 11),
      ...(internalPing !== undefined ? { internalPingAddress: internalPing } : {}),
    },
  };
}
