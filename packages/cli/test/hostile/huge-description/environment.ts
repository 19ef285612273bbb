import { base } from '../_base/base';

// A 1 MB string.
const site = base('huge-description');
site.description = 'x'.repeat(1 << 20);
export default site;
