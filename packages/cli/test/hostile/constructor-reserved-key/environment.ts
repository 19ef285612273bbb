import { base } from '../_base/base';

// Reserving under "constructor", a name every object inherits.
const site = base('constructor-reserved-key');
site.reserved.constructor = ['10.0.0.1'];
export default site;
