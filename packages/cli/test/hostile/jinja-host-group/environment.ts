import { base } from '../_base/base';

// Jinja statement in a host group.
const site = base('jinja-host-group');
site.hosts.infra1!.groups = ['shared-infra_hosts', "{% raw %}haproxy_hosts{% endraw %}"];
export default site;
