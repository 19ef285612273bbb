import { base } from '../_base/base';

// The kernel refuses "/" in interface names.
const site = base('interface-with-slash');
site.hosts.infra1!.bondMembers = { 'ens/3': '02:25:83:e1:77:c8', ens6: '02:25:83:e1:77:c9' };
export default site;
