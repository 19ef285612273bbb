import { base } from '../_base/base';

// A YAML anchor/alias-looking network name.
const site = base('yaml-anchor-network-key');
site.networks['*storage'] = '10.96.0.0/24';
export default site;
