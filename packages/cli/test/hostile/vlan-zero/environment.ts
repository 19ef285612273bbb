import { base } from '../_base/base';

// VLAN 0 is priority tagging, not a VLAN.
const site = base('vlan-zero');
site.haproxy.publicNetwork.vlan = 0;
export default site;
