import { base } from '../_base/base';

// NaN is a number to JavaScript, not an integer.
const site = base('wrong-type-nan-router-id');
site.haproxy.keepalived.externalRouterId = NaN;
export default site;
