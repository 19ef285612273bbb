import { base } from '../_base/base';

// Jinja in a VIP.
const site = base('jinja-vip');
site.haproxy.vips.external = '{{ external_lb_vip_address }}';
export default site;
