import { base } from '../_base/base';

// Jinja in the bond netdev name.
const site = base('jinja-bond-name');
site.hostNetworking.bond.name = 'bond{{ 0 }}';
export default site;
