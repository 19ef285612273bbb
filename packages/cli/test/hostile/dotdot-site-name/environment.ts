import { base } from '../_base/base';

// The site name would become a folder and a branch.
const site = base('dotdot-site-name');
site.name = '../../etc';
export default site;
