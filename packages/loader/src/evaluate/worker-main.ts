/**
 * Entry of the evaluation worker. Built into one script by `worker-source.ts` and run with
 * `new Worker(code, { eval: true })`, so it needs no TypeScript hook inside the worker.
 *
 * Each bundle runs as a CommonJS function body with a `require` that only knows the absolute
 * paths the bundler approved. Globals that reach the host (`process`, the real `require`,
 * `fetch`) are removed first. This is a guard against accidents and casual escapes, not a
 * security sandbox: definitions are code, reviewed in pull requests like any other code.
 */
import * as vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { BundleFrame, EvaluationJob, WorkerInput, WorkerMessage } from './protocol';
import { describeThrown, toPlainData } from './to-plain-data';

const port = parentPort!;
const input = workerData as WorkerInput;
const hostRequire = require;

const FORBIDDEN = Symbol('forbidden-require');

for (const name of ['require', 'module', 'exports', '__filename', '__dirname', 'process', 'fetch']) {
  Reflect.deleteProperty(globalThis, name);
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

function evaluate(job: EvaluationJob): WorkerMessage {
  const allowed = new Set(job.externals);
  const restrictedRequire = (id: string): unknown => {
    if (typeof id === 'string' && allowed.has(id)) return hostRequire(id);
    const err = new Error(`require(${JSON.stringify(String(id))}) is not allowed in a definition`);
    (err as unknown as Record<symbol, boolean>)[FORBIDDEN] = true;
    throw err;
  };
  const module = { exports: {} as Record<string, unknown> };
  try {
    const fn = vm.compileFunction(job.code, ['exports', 'require', 'module'], { filename: job.filename });
    fn.call(module.exports, module.exports, restrictedRequire, module);
  } catch (err) {
    return threw(job, err);
  }
  let exported: unknown;
  try {
    const exports = module.exports;
    if (!Object.prototype.hasOwnProperty.call(exports, 'default')) {
      return { type: 'not-data', site: job.site, path: [], reason: 'the file has no default export' };
    }
    exported = exports.default;
  } catch (err) {
    return threw(job, err);
  }
  const plain = toPlainData(exported);
  return plain.ok
    ? { type: 'data', site: job.site, value: plain.value }
    : { type: 'not-data', site: job.site, path: plain.path, reason: plain.reason };
}

function threw(job: EvaluationJob, err: unknown): WorkerMessage {
  let forbidden = false;
  let stack = '';
  try {
    forbidden = typeof err === 'object' && err !== null && FORBIDDEN in err;
    const s = err instanceof Error ? err.stack : undefined;
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

// One synchronous pass: `start` lets the parent arm the per-site timer before any user code runs.
for (const job of input.jobs) {
  post({ type: 'start', site: job.site });
  post(evaluate(job));
}
