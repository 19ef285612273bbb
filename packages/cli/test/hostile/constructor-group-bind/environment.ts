import { base } from '../_base/base';

// A group_binds entry "constructor" is not an OSA group.
const site = base('constructor-group-bind');
site.providerNetworks[0]!.groupBinds = ['all_containers', 'hosts', 'constructor'];
export default site;
