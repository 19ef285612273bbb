import { base } from '../_base/base';

// A required section is missing.
const site = base('missing-deploy');
delete (site as { deploy?: unknown }).deploy;
export default site;
