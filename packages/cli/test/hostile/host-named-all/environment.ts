import { base, host } from '../_base/base';

// Issue 26, item 3: a host named after something Ansible or OSA already names (all) validated,
// and OSA's generator kept it. HOST_NAME_RESERVED (rules/src/reserved-names.ts).
const site = base('host-named-all');
site.hosts['all'] = host('172.29.236.14', '02:25:83:e1:7a');
export default site;
