import { base } from '../_base/base';

// import() hidden in a Function body, then a write into the workspace. Site contexts refuse code
// generation from strings, so `new Function` itself throws (an EvalError of the site's realm).
const load = new Function('return import("node:fs")') as () => Promise<typeof import('node:fs')>;
export default load().then((fs) => {
  fs.writeFileSync('pwned-by-dynamic-import.txt', 'x');
  return base('dynamic-import-escape');
});
