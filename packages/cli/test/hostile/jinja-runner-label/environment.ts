import { base } from '../_base/base';

// Jinja in the runner label (it reaches workflow YAML and logs).
const site = base('jinja-runner-label');
site.deploy.runnerLabel = '{{ github.token }}';
export default site;
