import { base } from '../_base/base';

// Jinja in the deploy config dir.
const site = base('jinja-config-dir');
site.deploy.configDir = "/etc/{{ lookup('env', 'HOME') }}";
export default site;
