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
 * After a definition's code has run, the evaluator does nothing that could hand it an object of
 * this realm (ADR 0014):
 * - a thrown value's `.stack` is read inside the site's context (`stackOf`, with the site's
 *   `Error.prepareStackTrace` reset where it can be): V8 builds the CallSite array a hook
 *   receives in the realm that reads `.stack`, and a hook given this realm's array once replaced
 *   this realm's `Array.prototype[Symbol.iterator]` and forged results (issue 26);
 * - the value is copied with built-ins captured before any definition ran (core's plain-data.ts),
 *   a Proxy refused before any of its traps runs, and nothing here spreads, iterates or calls an
 *   array method on anything a definition made, nor awaits or stringifies it;
 * - and this realm's built-ins are frozen (`node --frozen-intrinsics`, checked below before any
 *   job runs): a stack overflow inside Node's own stack-trace callback hands a definition an error
 *   of this realm whatever the evaluator does, and through it this realm's intrinsics, which it
 *   can then neither change nor use to compile code (code generation from strings is off).
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
import { types } from 'node:util';
import * as vm from 'node:vm';
import {
  EVALUATOR_REFUSED,
  MAX_FRAMES,
  MAX_PROCESS_TEXT,
  type BundleFrame,
  type EvaluationJob,
  type WorkerInput,
  type WorkerMessage,
} from './protocol';
import { describeThrown, toPlainData, type ValueRealm } from './to-plain-data';

// Captured before any definition runs, and used instead of any look-up after one has.
const { apply } = Reflect;
const { hasOwnProperty } = Object.prototype;
const { exec } = RegExp.prototype;
const { isFrozen, getPrototypeOf } = Object;
const { isProxy } = types;
const NumberCtor = Number;
const proc = process;
const send = (m: readonly WorkerMessage[], done: (err: Error | null) => void): boolean => proc.send!(m, done);
// A definition's unhandled rejection (an uncaught `import()`) is its own business; Node's default
// would end the evaluator with the results of the sites after it still unsent.
proc.on('unhandledRejection', () => undefined);

// Definitions never see the evaluator's globals; remove the dangerous ones all the same.
for (const name of ['require', 'module', 'exports', '__filename', '__dirname', 'process', 'fetch']) {
  Reflect.deleteProperty(globalThis, name);
}

/**
 * Whether this realm's built-ins are frozen (`--frozen-intrinsics`, set by run-in-worker.ts). A
 * Node that ignored or dropped the flag must not evaluate anything: fail closed, loudly.
 */
function realmIsFrozen(): boolean {
  const arrayIterator = getPrototypeOf([][Symbol.iterator]()) as object;
  const intrinsics: unknown[] = [
    Object,
    Object.prototype,
    Array,
    Array.prototype,
    arrayIterator,
    getPrototypeOf(arrayIterator),
    Function.prototype,
    Error,
    Error.prototype,
    RangeError,
    RangeError.prototype,
    TypeError.prototype,
    Promise,
    Promise.prototype,
    Reflect,
    JSON,
    String.prototype,
    RegExp.prototype,
    Map.prototype,
    Symbol,
  ];
  for (let i = 0; i < intrinsics.length; i++) if (!isFrozen(intrinsics[i])) return false;
  return true;
}

/** What BOOTSTRAP returns: made in the site's context, read by the worker before user code runs. */
interface SiteRealm extends ValueRealm {
  readonly module: { exports: Record<string, unknown> };
  readonly require: (id: unknown) => never;
  /** Whether `err` was thrown by this context's `require` (an unforgeable, closure-held WeakSet). */
  readonly isRefusedRequire: (err: unknown) => boolean;
  /**
   * `err.stack` as a string ('' when there is none), read by a function of the site's context with
   * its Error's `prepareStackTrace` reset, so that V8 builds any CallSite array in the site's realm.
   */
  readonly stackOf: (err: unknown) => string;
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
  const { defineProperty } = Reflect;
  const { create, freeze } = Object;
  // Null prototype and frozen: a later patch of Object.prototype cannot add a get/set to them.
  const slot = (value) => {
    const d = create(null);
    d.value = value;
    d.writable = true;
    d.configurable = true;
    return freeze(d);
  };
  const noHook = slot(undefined);
  const ownError = slot(Err);
  const site = globalThis;
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
    // Node formats a stack with the hook of the error's realm, globalThis.Error.prepareStackTrace:
    // put this context's own Error back there, without a hook (a definition may have made either
    // permanent; then its hook runs, but on CallSites of its own realm, because this function, of
    // its context, is what reads .stack).
    stackOf: (err) => {
      defineProperty(Err, 'prepareStackTrace', noHook);
      defineProperty(site, 'Error', ownError);
      let s;
      try {
        s = (typeof err === 'object' && err !== null) || typeof err === 'function' ? err.stack : undefined;
      } catch {
        s = undefined;
      }
      return typeof s === 'string' ? s : '';
    },
    objectPrototype: Object.prototype,
    arrayPrototype: Array.prototype,
  };
})()`;

// Compiled once, run in each site's new context (compiling it per site was a tenth of a site's cost).
const bootstrap = new vm.Script(BOOTSTRAP, { filename: 'osa-gitops-site-bootstrap' });

/** Characters of text this process has sent back (MAX_PROCESS_TEXT). */
let sentText = 0;

function evaluate(job: EvaluationJob): WorkerMessage {
  // Made before the definition runs, like everything `threw` needs.
  const frame = frameRegExp(job.filename);
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
    // Nothing of the definition has run yet: this is esbuild's output failing to compile.
    return threw(job, err, undefined, frame);
  }
  const { module, require, objectPrototype, arrayPrototype } = realm;
  const exportsAtStart = module.exports;
  try {
    apply(run, exportsAtStart, [exportsAtStart, require, module]);
    // Run the promise jobs the definition queued, in its own context and time budget: a rejected
    // `import()` is handled (or ignored) here, before the value is read.
    vm.runInContext('undefined', context);
  } catch (err) {
    return threw(job, err, realm, frame);
  }
  let exported: unknown;
  try {
    const exports = module.exports;
    if (typeof exports !== 'object' || exports === null || !apply(hasOwnProperty, exports, ['default'])) {
      return { type: 'not-data', site: job.site, path: [], reason: 'the file has no default export' };
    }
    exported = exports.default;
  } catch (err) {
    return threw(job, err, realm, frame);
  }
  const plain = toPlainData(exported, {}, { objectPrototype, arrayPrototype }, isProxy);
  if (!plain.ok) {
    return {
      type: 'not-data',
      site: job.site,
      path: plain.path,
      reason: plain.reason,
      tooLarge: plain.tooLarge,
    };
  }
  if (sentText + plain.text > MAX_PROCESS_TEXT) {
    return {
      type: 'not-data',
      site: job.site,
      path: [],
      reason: `its ${plain.text} characters of text would take this evaluator's output past its limit of ${MAX_PROCESS_TEXT} characters for one process (the sites before it in the batch sent ${sentText})`,
      tooLarge: true,
    };
  }
  sentText += plain.text;
  return { type: 'data', site: job.site, value: plain.value };
}

function threw(job: EvaluationJob, err: unknown, realm: SiteRealm | undefined, frame: RegExp): WorkerMessage {
  let forbidden = false;
  let stack = '';
  try {
    forbidden = realm?.isRefusedRequire(err) === true;
    // Read first, so the message below is read last; inside the site's context (see stackOf).
    // Without a realm nothing of the definition ran: the error is the compiler's own.
    stack = realm !== undefined ? realm.stackOf(err) : ownStack(err);
  } catch {
    // a hostile error object: report it without a location
  }
  return {
    type: 'threw',
    site: job.site,
    text: describeThrown(err),
    frames: framesIn(stack, frame),
    forbidden,
  };
}

function ownStack(err: unknown): string {
  const s = typeof err === 'object' && err !== null ? (err as { stack?: unknown }).stack : undefined;
  return typeof s === 'string' ? s : '';
}

/** Matches a stack frame in the bundle compiled as `filename`. */
function frameRegExp(filename: string): RegExp {
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g');
}

/**
 * Frames of `stack` that point into the bundle, outermost last, as `line:column`; at most
 * MAX_FRAMES (a hook may return any string, of any length).
 */
function framesIn(stack: string, frame: RegExp): BundleFrame[] {
  const frames: BundleFrame[] = [];
  for (let m = apply(exec, frame, [stack]) as RegExpExecArray | null; m !== null;) {
    frames[frames.length] = { line: NumberCtor(m[1]), column: NumberCtor(m[2]) };
    if (frames.length >= MAX_FRAMES) break;
    m = apply(exec, frame, [stack]) as RegExpExecArray | null;
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
  // No spread or iterator: this runs between definitions (captured methods only, ADR 0014).
  const { jobs } = input;
  let previous: WorkerMessage | undefined;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    const start: WorkerMessage = { type: 'start', site: job.site };
    await sendNow(previous === undefined ? [start] : [previous, start]);
    previous = evaluate(job);
  }
  if (previous !== undefined) await sendNow([previous]);
  // The parent ends this process once it has every result.
}

if (!realmIsFrozen()) {
  // run-in-worker.ts reports this line (EVALUATOR_REFUSED) as every site's LOAD_FAILED.
  proc.stderr.write(`${EVALUATOR_REFUSED}its built-ins are not frozen (node --frozen-intrinsics)\n`);
  proc.exit(70);
}
proc.once('message', (input: WorkerInput) => void evaluateAll(input));
