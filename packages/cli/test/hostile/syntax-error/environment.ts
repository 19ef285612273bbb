import { base } from '../_base/base';

// Does not compile.
const site = base('syntax-error';
export default site;
