import { base } from '../_base/base';

// Found while fixing issue 26: a stack overflow inside Node's own stack-trace callback (here: the
// probe reads `.stack` with the stack nearly full) is a RangeError of the evaluator's realm, and
// the definition catches it. Through it, it tries to patch that realm's Array iterator and
// Object.prototype; the evaluator's built-ins are frozen, so nothing changes, and the site then
// throws (LOAD_FAILED).
let reached = 0;
let patched = 0;
const own = Object.prototype;
function root(x: any): any {
  let last = x;
  for (let p = x; p !== null && p !== undefined; p = Object.getPrototypeOf(p)) last = p;
  return last;
}
function probe(): void {
  try {
    (new Error('probe') as any).stack;
  } catch (e) {
    const op = root(e);
    if (op === own) return;
    reached++;
    const planted = function (): never {
      throw new Error('patched');
    };
    try {
      const ap = Object.getPrototypeOf(op.constructor.keys({}));
      try {
        ap[Symbol.iterator] = planted;
      } catch {}
      try {
        op.patched = true;
      } catch {}
      if (ap[Symbol.iterator] === planted || op.patched === true) patched++;
    } catch {}
  }
}
function deep(n: number): void {
  try {
    deep(n + 1);
  } catch {}
  probe();
}
deep(0);
const site = base('stack-overflow-realm');
throw new Error(`reached the evaluator's realm ${reached} times, changed it ${patched} times`);
export default site;
