import { base } from '../_base/base';

// A computed import() used to be rejected by Node with a TypeError made in the evaluator's own
// realm: through its constructor a definition reached the evaluator's Function, console, timers
// and MessageChannel, and crashed the CLI. Now it is the site context's refused `require` (an
// error of the site's realm) and code generation from strings is off, so the climb ends here.
const spec = ['node', 'fs'].join(':');
let caught: unknown;
let reached = 'nothing';
import(spec).catch((err: unknown) => {
  caught = err;
  try {
    const g = (err as { constructor: { constructor: (code: string) => () => any } }).constructor.constructor(
      'return globalThis',
    )();
    reached = typeof g.MessageChannel;
    new g.MessageChannel().port1.postMessage(g);
  } catch {
    reached = 'refused';
  }
});
export default {
  ...base('dynamic-import-realm'),
  get description(): string {
    if (caught !== undefined) throw caught;
    return `reached ${reached}`;
  },
};
