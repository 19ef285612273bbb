import { base } from '../_base/base';

// An object that contains itself.
const site = base('cycle') as ReturnType<typeof base> & { self?: unknown };
site.self = site;
export default site;
