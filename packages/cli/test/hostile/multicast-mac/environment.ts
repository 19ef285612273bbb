import { base } from '../_base/base';

// The guide’s example MAC has the multicast bit set.
const site = base('multicast-mac');
site.hosts.infra1!.bondMembers = { ens3: 'df:25:83:e1:77:c8', ens6: '02:25:83:e1:77:c9' };
export default site;
