import { base } from '../_base/base';

// The deployer syncs files into configDir.
const site = base('dotdot-config-dir');
site.deploy.configDir = '/etc/openstack_deploy/../../root';
export default site;
