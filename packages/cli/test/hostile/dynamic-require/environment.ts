import { base } from '../_base/base';

// A computed require() that the bundler cannot see; the evaluator's require refuses it.
declare const require: (id: string) => { execSync(cmd: string): unknown };
const cp = require(['child', 'process'].join('_'));
const site = base('dynamic-require');
site.description = String(cp.execSync('id'));
export default site;
