import { base } from '../_base/base';

// U+2028 is a line break to some YAML and JS readers.
const site = base('line-separator-gateway');
site.haproxy.publicNetwork.gateway = '203.0.113.129\u2028';
export default site;
