import { base } from '../_base/base';

// Jinja in a bond member interface name (a record key).
const site = base('jinja-interface-key');
site.hosts.infra1!.bondMembers = { 'ens{{ 3 }}': '02:25:83:e1:77:c8', ens6: '02:25:83:e1:77:c9' };
export default site;
