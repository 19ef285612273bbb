/**
 * Entry of the evaluator: a child process (run-in-worker.ts) under an OS memory limit. Built into
 * one strict-mode script by `worker-source.ts` and run with `node -e`, so it needs no TypeScript
 * hook. Jobs arrive as one IPC message; results and starts go back as arrays of `WorkerMessage`.
 *
 * Each site's bundle runs in its own `vm` context: a fresh realm with its own `Object`, `Array`,
 * `JSON`, `Error`… and no Node globals (`process`, `require`, `fetch`, `Buffer` do not exist
 * there). A definition that patches a built-in patches its own realm only, which is thrown away
 * after its site, so it cannot change how the next site evaluates or how the evaluator copies
 * data. No object of the evaluator's realm is handed to a definition: `module`, `exports` and
 * `require` are made inside the context (BOOTSTRAP), and the context's global is backed by a
 * null-prototype object, so `this.constructor.constructor('return this')()` stays inside it.
 *
 * The context also refuses code generation from strings (`eval`, `new Function`, and through them
 * a dynamic `import()` Node would answer with an error of the evaluator's realm; a literal
 * `import()` is compiled to the context's refusing `require` by the bundler), has no WebAssembly,
 * SharedArrayBuffer or Atomics, and runs its own promise jobs (`microtaskMode: 'afterEvaluate'`)
 * inside the site's time budget, before its value is copied.
 *
 * This is a guard against accidents and casual escapes, not a security sandbox: `vm` is not one,
 * and definitions are code, reviewed in pull requests like any other code (docs/SECURITY.md).
 */
import * as vm from 'node:vm';
import type { BundleFrame, EvaluationJob, WorkerInput, WorkerMessage } from './protocol';
import { describeThrown, toPlainData, type ValueRealm } from './to-plain-data';

// Captured before any definition runs (the contexts cannot reach them anyway; belt and braces).
const { apply } = Reflect;
const { hasOwnProperty } = Object.prototype;
const proc = process;
const send = (m: readonly WorkerMessage[], done: (err: Error | null) => void): boolean => proc.send!(m, done);
// A definition's unhandled rejection (an uncaught `import()`) is its own business; Node's default
// would end the evaluator with the results of the sites after it still unsent.
proc.on('unhandledRejection', () => undefined);

// Definitions never see the evaluator's globals; remove the dangerous ones all the same.
for (const name of ['require', 'module', 'exports', '__filename', '__dirname', 'process', 'fetch']) {
  Reflect.deleteProperty(globalThis, name);
}

/** What BOOTSTRAP returns: made in the site's context, read by the worker before user code runs. */
interface SiteRealm extends ValueRealm {
  readonly module: { exports: Record<string, unknown> };
  readonly require: (id: unknown) => never;
  /** Whether `err` was thrown by this context's `require` (an unforgeable, closure-held WeakSet). */
  readonly isRefusedRequire: (err: unknown) => boolean;
}

/**
 * Runs first in every site context. Its `require` knows nothing: the bundle has no externals
 * (core and anything it needs are bundled in), so any `require` that survived bundling (a
 * computed one the bundler could not see, or a Node built-in wanted by a dependency of core) is
 * refused at run time, as LOAD_FORBIDDEN_IMPORT.
 */
const BOOTSTRAP = `(() => {
  'use strict';
  const refused = new WeakSet();
  const { add, has } = WeakSet.prototype;
  const { apply } = Reflect;
  const { stringify } = JSON;
  const Str = String;
  const Err = Error;
  const module = { exports: {} };
  const require = function require(id) {
    let shown = 'a value that cannot be printed';
    try { shown = stringify(Str(id)); } catch {}
    const err = new Err('require(' + shown + ') is not allowed in a definition');
    apply(add, refused, [err]);
    throw err;
  };
  // Memory outside the JS heap: the evaluator's OS limit caps it too; these are not data anyway.
  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) delete globalThis[name];
  return {
    module,
    require,
    isRefusedRequire: (err) => apply(has, refused, [err]),
    objectPrototype: Object.prototype,
    arrayPrototype: Array.prototype,
  };
})()`;

// Compiled once, run in each site's new context (compiling it per site was a tenth of a site's cost).
const bootstrap = new vm.Script(BOOTSTRAP, { filename: 'osa-gitops-site-bootstrap' });

function evaluate(job: EvaluationJob): WorkerMessage {
  let realm: SiteRealm;
  let context: vm.Context;
  let run: (...args: unknown[]) => unknown;
  try {
    context = vm.createContext(Object.create(null) as object, {
      name: `site ${job.site}`,
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    realm = bootstrap.runInContext(context) as SiteRealm;
    run = vm.compileFunction(job.code, ['exports', 'require', 'module'], {
      filename: job.filename,
      parsingContext: context,
    }) as (...args: unknown[]) => unknown;
  } catch (err) {
    return threw(job, err, undefined);
  }
  const { module, require, isRefusedRequire, objectPrototype, arrayPrototype } = realm;
  const exportsAtStart = module.exports;
  try {
    apply(run, exportsAtStart, [exportsAtStart, require, module]);
    // Run the promise jobs the definition queued, in its own context and time budget: a rejected
    // `import()` is handled (or ignored) here, before the value is read.
    vm.runInContext('undefined', context);
  } catch (err) {
    return threw(job, err, isRefusedRequire);
  }
  let exported: unknown;
  try {
    const exports = module.exports;
    if (typeof exports !== 'object' || exports === null || !apply(hasOwnProperty, exports, ['default'])) {
      return { type: 'not-data', site: job.site, path: [], reason: 'the file has no default export' };
    }
    exported = exports.default;
  } catch (err) {
    return threw(job, err, isRefusedRequire);
  }
  const plain = toPlainData(exported, {}, { objectPrototype, arrayPrototype });
  return plain.ok
    ? { type: 'data', site: job.site, value: plain.value }
    : { type: 'not-data', site: job.site, path: plain.path, reason: plain.reason };
}

function threw(
  job: EvaluationJob,
  err: unknown,
  isRefusedRequire: ((err: unknown) => boolean) | undefined,
): WorkerMessage {
  let forbidden = false;
  let stack = '';
  try {
    forbidden = isRefusedRequire?.(err) === true;
    // `instanceof Error` would miss errors of the site's realm; any object may carry a stack.
    const s = typeof err === 'object' && err !== null ? (err as { stack?: unknown }).stack : undefined;
    stack = typeof s === 'string' ? s : '';
  } catch {
    // a hostile error object: report it without a location
  }
  return {
    type: 'threw',
    site: job.site,
    text: describeThrown(err),
    frames: framesIn(stack, job.filename),
    forbidden,
  };
}

/** Frames of `stack` that point into the bundle, outermost last, as `line:column`. */
function framesIn(stack: string, filename: string): BundleFrame[] {
  const frames: BundleFrame[] = [];
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of stack.matchAll(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'))) {
    frames.push({ line: Number(m[1]), column: Number(m[2]) });
  }
  return frames;
}

/**
 * Sites run one after another, and each site's `start` is written out before its code runs (the
 * parent arms its timer then), in one message with the previous site's result, so that result has
 * left this process before the next site may exhaust its memory and take the process down. (A
 * message queued behind a full pipe would wait for the event loop, which an endless loop never
 * gives back.) A definition's promise jobs run in its own context (above); timers do not exist.
 */
function sendNow(messages: readonly WorkerMessage[]): Promise<void> {
  return new Promise((resolve) => {
    send(messages, (err) => {
      if (err) proc.exit(1); // the parent is gone; it has recorded what it got
      resolve();
    });
  });
}

async function evaluateAll(input: WorkerInput): Promise<void> {
  let previous: WorkerMessage[] = [];
  for (const job of input.jobs) {
    await sendNow([...previous, { type: 'start', site: job.site }]);
    previous = [evaluate(job)];
  }
  await sendNow(previous);
  // The parent ends this process once it has every result.
}

proc.once('message', (input: WorkerInput) => void evaluateAll(input));
