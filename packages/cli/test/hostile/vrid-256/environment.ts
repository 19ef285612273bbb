import { base } from '../_base/base';

// VRRP router ids are 1–255.
const site = base('vrid-256');
site.haproxy.keepalived.internalRouterId = 256;
export default site;
