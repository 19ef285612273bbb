import { base } from '../_base/base';

// A lone UTF-16 surrogate cannot be written as UTF-8.
const site = base('lone-surrogate-description');
site.description = 'x\ud800y';
export default site;
