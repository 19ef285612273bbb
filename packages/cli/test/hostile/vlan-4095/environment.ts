import { base } from '../_base/base';

// VLAN 4095 is reserved.
const site = base('vlan-4095');
site.haproxy.publicNetwork.vlan = 4095;
export default site;
