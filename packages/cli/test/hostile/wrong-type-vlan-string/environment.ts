import { base } from '../_base/base';

// A VLAN id written as a string.
const site = base('wrong-type-vlan-string');
site.haproxy.publicNetwork.vlan = '40';
export default site;
