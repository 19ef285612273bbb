import { base } from '../_base/base';

// A relative config dir would depend on the working directory.
const site = base('relative-config-dir');
site.deploy.configDir = 'openstack_deploy';
export default site;
