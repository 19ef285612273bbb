// Checks the haproxy containers' lxc_container_networks against the guide's (eth0 without a DHCP default
// route).
import { isMapping } from '../config-dir';
import { finding } from '../findings';
import type { VarScope } from '../variables';
import type { Emit } from './types';

/** The guide's group_vars/haproxy: eth0 without a DHCP default route. */
export function checkLxcNetwork(scope: VarScope, emit: Emit): void {
  const { hit } = scope.lookup('lxc_container_networks');
  const eth0 = isMapping(hit?.value) ? hit.value.lxcbr0_address : undefined;
  if (!isMapping(eth0) || eth0.dhcp_use_routes !== false) {
    emit(
      finding(
        'IMPORT_ETH0_DEFAULT_ROUTE',
        hit?.file ?? 'group_vars/haproxy',
        hit?.path ?? [],
        "the haproxy containers' eth0 (lxcbr0, DHCP) keeps its default route, metric 20, which beats the public network's default route (metric 21): replies leave through the SNATed lxcbr0",
        'the rendered group_vars/haproxy/lxc_network.yml sets dhcp_use_routes: false',
      ),
    );
    return;
  }
  if (eth0.mtu === undefined) {
    emit(
      finding(
        'IMPORT_ADDED',
        hit!.file,
        [...hit!.path, 'lxcbr0_address'],
        'the eth0 entry has no mtu: overriding lxc_container_networks replaces OSA’s whole default, which has one',
        'the rendered entry adds mtu: "{{ lxc_net_mtu | default(1500) }}" (OSA\'s own default)',
      ),
    );
  }
  for (const key of Object.keys(hit!.value as object)) {
    if (key !== 'lxcbr0_address')
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          hit!.file,
          [...hit!.path, key],
          `container network ${key}`,
          'not imported: the rendered lxc_container_networks has eth0 only',
        ),
      );
  }
  const known = ['bridge', 'bridge_type', 'interface', 'type', 'mtu', 'dhcp_use_routes'];
  for (const key of Object.keys(eth0)) {
    if (!known.includes(key))
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          hit!.file,
          [...hit!.path, 'lxcbr0_address', key],
          `${key} on eth0`,
          'not imported',
        ),
      );
  }
}
