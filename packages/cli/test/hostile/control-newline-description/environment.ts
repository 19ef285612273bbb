import { base } from '../_base/base';

// A newline that would break out of a YAML scalar.
const site = base('control-newline-description');
site.description = 'ok\nglobal_overrides: { evil: true }';
export default site;
