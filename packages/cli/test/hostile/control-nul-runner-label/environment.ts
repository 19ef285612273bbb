import { base } from '../_base/base';

// A NUL byte.
const site = base('control-nul-runner-label');
site.deploy.runnerLabel = 'osa-deploy\u0000x';
export default site;
