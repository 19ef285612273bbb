import { base } from '../_base/base';

// The external VIP is the broadcast address of /28.
const site = base('vip-broadcast');
site.haproxy.vips.external = '203.0.113.143';
export default site;
