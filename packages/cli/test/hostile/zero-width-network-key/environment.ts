import { base } from '../_base/base';

// A BOM / zero-width no-break space makes two names look alike.
const site = base('zero-width-network-key');
site.networks['\ufeffcontainer'] = '10.98.0.0/24';
export default site;
