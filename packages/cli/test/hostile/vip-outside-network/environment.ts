import { base } from '../_base/base';

// The external VIP is not in the public network.
const site = base('vip-outside-network');
site.haproxy.vips.external = '203.0.113.200';
export default site;
