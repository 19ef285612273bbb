import { base } from '../_base/base';

// 5,000 reserved entries in one network.
const site = base('huge-reserved-list');
site.reserved.container = Array.from({ length: 5000 }, (_, i) => `172.29.${236 + (i >> 8)}.${i & 255}`);
export default site;
