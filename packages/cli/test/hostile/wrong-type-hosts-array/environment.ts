import { base } from '../_base/base';

// hosts as an array instead of a name → host record.
const site = base('wrong-type-hosts-array');
(site as { hosts: unknown }).hosts = [{ ip: '172.29.236.11', groups: ['haproxy_hosts'] }];
export default site;
