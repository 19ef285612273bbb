import { base } from '../_base/base';

// Jinja in a network name (a cidr_networks key).
const site = base('jinja-network-key');
site.networks['{{ 7 * 7 }}'] = '10.99.0.0/24';
export default site;
