import { base, host } from '../_base/base';

// Two host names with one IP (OSA: MultipleHostsWithOneIPError).
const site = base('duplicate-host-ip');
site.hosts.infra4 = host('172.29.236.11', '02:25:83:e1:7a');
export default site;
