import { base } from '../_base/base';

// inet_aton reads a leading 0 as octal: 0172.029… is not 172.29….
const site = base('octal-host-ip');
site.hosts.infra1!.ip = '0172.029.236.011';
export default site;
