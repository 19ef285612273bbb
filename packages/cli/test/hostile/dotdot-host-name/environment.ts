import { base, host } from '../_base/base';

// A host name becomes host_vars/<host>.yml.
const site = base('dotdot-host-name');
site.hosts['../../../../tmp/pwned'] = host('172.29.236.14', '02:25:83:e1:7a');
export default site;
