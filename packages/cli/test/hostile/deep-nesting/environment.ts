import { base } from '../_base/base';

// 200 nested arrays.
const site = base('deep-nesting');
let deep: unknown = 'x';
for (let i = 0; i < 200; i++) deep = [deep];
export default { ...site, description: deep };
