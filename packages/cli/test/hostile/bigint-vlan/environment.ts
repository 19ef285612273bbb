import { base } from '../_base/base';

// A bigint cannot be carried as data (or compared with numbers by zod).
const site = base('bigint-vlan');
site.haproxy.publicNetwork.vlan = 40n;
export default site;
