import { base } from '../_base/base';

// The public VLAN rides on bond "constructor", which is not defined.
const site = base('constructor-bond-ref');
site.haproxy.publicNetwork.bond = 'constructor';
export default site;
