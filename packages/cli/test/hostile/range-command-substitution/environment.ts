import { base } from '../_base/base';

// Issue 26, item 4: `range` was written verbatim into openstack_user_config.yml, and OSA's
// provider_networks module copies it into neutron's ML2 configuration as it is. It took `$(id)`,
// quotes, `: x` and a single `{`. Only `<first>:<last>[,…]` of VLAN ids or VNIs passes now.
const site = base('range-command-substitution');
site.providerNetworks.push({
  bridge: 'br-vlan',
  type: 'vlan',
  netName: 'physnet1',
  range: "101:200 $(id) 'x': {",
  groupBinds: ['neutron_openvswitch_agent'],
});
export default site;
