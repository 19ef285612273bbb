import { base } from '../_base/base';

// OSA ignores an unknown group_binds entry silently.
const site = base('group-binds-typo');
site.providerNetworks[0]!.groupBinds = ['all_containers', 'hosts', 'haproxy_hostz'];
export default site;
