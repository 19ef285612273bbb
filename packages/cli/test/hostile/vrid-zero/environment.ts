import { base } from '../_base/base';

// VRRP router ids are 1–255.
const site = base('vrid-zero');
site.haproxy.keepalived.externalRouterId = 0;
export default site;
