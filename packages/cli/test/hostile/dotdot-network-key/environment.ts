import { base } from '../_base/base';

// A network name becomes <name>_address in Ansible.
const site = base('dotdot-network-key');
site.networks['../x'] = '10.97.0.0/24';
export default site;
