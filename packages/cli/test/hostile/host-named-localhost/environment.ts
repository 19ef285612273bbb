import { base, host } from '../_base/base';

// Issue 26, item 3: a host named localhost validated; Ansible then takes every `delegate_to:
// localhost` task to its ansible_host. HOST_NAME_RESERVED (rules/src/reserved-names.ts).
const site = base('host-named-localhost');
site.hosts['localhost'] = host('172.29.236.14', '02:25:83:e1:7a');
export default site;
