import { base } from '../_base/base';

// An IPv4-mapped IPv6 address is not a dotted quad.
const site = base('ipv4-mapped-ipv6-vip');
site.haproxy.vips.external = '::ffff:203.0.113.140';
export default site;
