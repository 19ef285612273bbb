import { base, host } from '../_base/base';

// OSA refuses "<host>-haproxy-container" over 52 characters.
const site = base('haproxy-host-name-40');
site.hosts['h'.repeat(40)] = host('172.29.236.14', '02:25:83:e1:7a');
export default site;
