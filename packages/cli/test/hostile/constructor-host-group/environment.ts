import { base } from '../_base/base';

// A host group "constructor" is not an OSA group.
const site = base('constructor-host-group');
site.hosts.infra1!.groups = ['shared-infra_hosts', 'haproxy_hosts', 'constructor'];
export default site;
