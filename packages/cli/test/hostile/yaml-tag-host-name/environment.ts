import { base, host } from '../_base/base';

// A YAML tag in a host name (PyYAML unsafe loaders would construct it).
const site = base('yaml-tag-host-name');
site.hosts['!!python/object/apply:os.system'] = host('172.29.236.14', '02:25:83:e1:7a');
export default site;
