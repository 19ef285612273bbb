import { base } from '../_base/base';

// Allocates until the evaluator's heap limit; the evaluator dies, the CLI must not.
const hoard: number[][] = [];
for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
export default base('memory-bomb');
