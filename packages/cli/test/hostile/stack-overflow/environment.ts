import { base } from '../_base/base';

// Unbounded recursion.
const site = base('stack-overflow');
const down = (n: number): number => down(n + 1) + 1;
site.description = String(down(0));
export default site;
