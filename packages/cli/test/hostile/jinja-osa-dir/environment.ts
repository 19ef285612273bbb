import { base } from '../_base/base';

// Jinja statement in the OSA dir.
const site = base('jinja-osa-dir');
site.deploy.osaDir = '/opt/{% if true %}x{% endif %}';
export default site;
