import { base } from '../_base/base';

// The public network refers to "constructor", which is not a network.
const site = base('constructor-cidr-name');
site.haproxy.publicNetwork.cidrName = 'constructor';
export default site;
