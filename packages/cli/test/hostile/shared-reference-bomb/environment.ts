import { base } from '../_base/base';

// A value that is small in memory and enormous when expanded ("billion laughs" in JS):
// 6 levels of 20 references to the same array = 64 million leaves.
const site = base('shared-reference-bomb');
let bomb: unknown = 'x';
for (let level = 0; level < 6; level++) bomb = Array.from({ length: 20 }, () => bomb);
export default { ...site, description: bomb };
