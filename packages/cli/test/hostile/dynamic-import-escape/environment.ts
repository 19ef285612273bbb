import { base } from '../_base/base';

// import() hidden in a Function body, then a write into the workspace. The evaluator has no
// dynamic-import callback, so the promise rejects; the export is a promise, which is not data.
const load = new Function('return import("node:fs")') as () => Promise<typeof import('node:fs')>;
export default load().then((fs) => {
  fs.writeFileSync('pwned-by-dynamic-import.txt', 'x');
  return base('dynamic-import-escape');
});
