import { base } from '../_base/base';

// IFNAMSIZ is 16 bytes including the NUL.
const site = base('interface-over-15-bytes');
site.haproxy.publicNetwork.bridge = 'br-public-api-xyz';
export default site;
