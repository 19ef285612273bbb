import { base } from '../_base/base';

// 12 × 256 MiB typed arrays: memory outside the JS heap, which the heap limit never saw (written
// one byte per page, they passed validation at 3 GB of RSS). The evaluator's OS limit (ulimit -d)
// counts the mappings, written or not, and refuses the allocation inside the site's own realm.
// (They are not written here, so the case costs no time; load-sites.int.spec.ts writes them.)
const hoard: Uint8Array[] = [];
for (let i = 0; i < 12; i++) hoard.push(new Uint8Array(256 * 1024 * 1024));
export default { ...base('typed-array-memory'), description: `${hoard.length} buffers` };
