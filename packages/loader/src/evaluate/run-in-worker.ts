import { spawn, type ChildProcess } from 'node:child_process';
import { EVALUATOR_REFUSED, type BundleFrame, type EvaluationJob, type WorkerMessage } from './protocol';
import { describeThrown } from './to-plain-data';
import { workerSource } from './worker-source';

export type EvaluationOutcome =
  | { readonly kind: 'data'; readonly value: unknown }
  | {
      readonly kind: 'not-data';
      readonly path: (string | number)[];
      readonly reason: string;
      /** Over one of the evaluator's limits, rather than not data at all. */
      readonly tooLarge: boolean;
    }
  | {
      readonly kind: 'threw';
      readonly text: string;
      readonly frames: readonly BundleFrame[];
      readonly forbidden: boolean;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'crashed'; readonly reason: string };

export interface EvaluationLimits {
  /** V8's old generation (the JS heap), MiB. */
  readonly heapMb: number;
  /**
   * Everything the evaluator process may allocate (RLIMIT_DATA: the heap, typed arrays,
   * WebAssembly memory, Node itself), MiB. Ignored where there is no POSIX shell (Windows).
   */
  readonly totalMb: number;
}

export interface EvaluateOptions {
  /** Budget per site, counted from the moment the evaluator starts evaluating it. */
  readonly timeoutMs: number;
  readonly limits?: EvaluationLimits;
  /** A process started earlier by `startEvaluator` (its start overlaps the caller's bundling). */
  readonly started?: StartedEvaluator;
  /**
   * Called once per site as soon as its outcome is final (sites in evaluation order), so the
   * caller can validate a site while the evaluator runs the next ones.
   */
  readonly onOutcome?: (site: string, outcome: EvaluationOutcome) => void;
  /** The evaluator script. @default `workerSource()` (tests give a stand-in speaking the protocol) */
  readonly source?: string;
}

/**
 * Enough for any real site (the three examples use a few MB); small enough to stop a runaway.
 * The total is well above Node's own needs plus the heap (about 330 MiB of data mappings at the
 * heap limit), and far below what one definition reached with typed arrays (3 GB of RSS) before
 * the OS limit existed.
 */
/** The outcomes of one evaluation; each is final when set (a site is never evaluated twice once it has one). */
class OutcomeMap extends Map<string, EvaluationOutcome> {
  constructor(private readonly onSet?: (site: string, outcome: EvaluationOutcome) => void) {
    super();
  }
  override set(site: string, outcome: EvaluationOutcome): this {
    super.set(site, outcome);
    this.onSet?.(site, outcome);
    return this;
  }
}

export const DEFAULT_LIMITS: EvaluationLimits = { heapMb: 256, totalMb: 1024 };

/** An evaluator process, watched from its start so that no exit or error is missed. */
interface EvaluatorProcess {
  readonly child: ChildProcess;
  readonly closed: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** The last 4 KiB of its stderr (only to tell an out-of-memory death from others). */
  readonly stderr: () => string;
  /** A spawn or IPC error, if any. */
  readonly failure: () => unknown;
}

export interface StartedEvaluator {
  /** The process, for `evaluateInWorkers` (which then owns it). */
  readonly take: () => Promise<EvaluatorProcess>;
  /** Kill it unless it was taken (nothing to evaluate, or bundling threw). */
  readonly dispose: () => void;
}

/**
 * Start an evaluator process before its jobs exist: a process start costs tens of milliseconds
 * (hundreds on a loaded machine), and the caller's bundling takes longer, so nobody waits for it.
 */
export function startEvaluator(limits: EvaluationLimits = DEFAULT_LIMITS): StartedEvaluator {
  let taken = false;
  const started = workerSource().then((source) => spawnEvaluator(source, limits));
  started.catch(() => undefined); // reported by evaluateInWorkers, if it is taken at all
  return {
    take: () => {
      taken = true;
      return started;
    },
    dispose: () => {
      if (!taken)
        void started.then(
          (p) => p.child.kill('SIGKILL'),
          () => undefined,
        );
      taken = true;
    },
  };
}

/**
 * Evaluate bundles in a child process, one for the whole batch, under an OS memory limit
 * (`ulimit -d`): a Worker thread's resourceLimits cap only the JS heap, and a definition filled
 * 12 × 256 MiB typed arrays outside it. The process has an empty environment and no stdout (a
 * definition's console output is dropped).
 *
 * One site's failure is that site's alone:
 * - a site that exhausts its time budget gets LOAD_TIMEOUT; the process is killed and the sites
 *   after it continue in a fresh one;
 * - a site during which the process dies gets LOAD_FAILED when V8 reports its heap limit reached
 *   (that is the site's own live data) or when it was the first site of its process; any other
 *   death (the OS refused memory that earlier sites left for the garbage collector, a signal) is
 *   not blamed on it yet: it runs again, first in a fresh process;
 * - a death between sites blames nobody; the sites left run again in a fresh process, unless the
 *   process that died had made no progress at all (it could not start: then they all fail).
 */
export async function evaluateInWorkers(
  jobs: readonly EvaluationJob[],
  opts: EvaluateOptions,
): Promise<Map<string, EvaluationOutcome>> {
  const outcomes = new OutcomeMap(opts.onOutcome);
  if (jobs.length === 0) return outcomes; // the caller disposes of a started process
  const limits = opts.limits ?? DEFAULT_LIMITS;
  let pending = jobs;
  let first = opts.started?.take();
  while (pending.length > 0) {
    let evaluator: EvaluatorProcess;
    try {
      evaluator = await (first ??
        (opts.source !== undefined ? Promise.resolve(opts.source) : workerSource()).then((source) =>
          spawnEvaluator(source, limits),
        ));
    } catch (err) {
      const reason = `the evaluator could not start: ${describeThrown(err)}`;
      for (const job of pending) outcomes.set(job.site, { kind: 'crashed', reason });
      break;
    }
    first = undefined;
    const suspect = await runOneEvaluator(evaluator, pending, opts.timeoutMs, limits, outcomes);
    const left = pending.filter((j) => !outcomes.has(j.site));
    // The suspect goes first into the next process, where nothing else can be blamed.
    pending =
      suspect === undefined
        ? left
        : [...left.filter((j) => j.site === suspect), ...left.filter((j) => j.site !== suspect)];
  }
  return outcomes;
}

/** The evaluator process: node under `ulimit -d` through /bin/sh (Node has no setrlimit). */
function spawnEvaluator(source: string, limits: EvaluationLimits): EvaluatorProcess {
  const node = [
    `--max-old-space-size=${limits.heapMb}`,
    '--max-semi-space-size=16',
    '--stack-size=3984', // V8's default is ~984 KiB; the worker had 4 MB, and deep definitions need it
    '--disallow-code-generation-from-strings',
    // This realm's built-ins cannot be changed by anything a definition reaches (ADR 0014); the
    // worker refuses to run without it. The flag's "experimental" warning says nothing useful.
    '--frozen-intrinsics',
    '--disable-warning=ExperimentalWarning',
    '-e',
    source,
  ];
  const options = {
    env: {}, // a definition has no business reading CI secrets from the environment
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'] as ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced' as const, // structured clone, as postMessage: `undefined` survives
  };
  const child =
    process.platform === 'win32'
      ? spawn(process.execPath, node, options)
      : spawn(
          '/bin/sh',
          ['-c', `ulimit -d ${limits.totalMb * 1024} && exec "$0" "$@"`, process.execPath, ...node],
          options,
        );
  let stderr = '';
  let failure: unknown;
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4096);
  });
  child.on('error', (err) => {
    failure ??= err;
  });
  // 'close' comes after the process exited, stderr ended and every IPC message was delivered.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, closed, stderr: () => stderr, failure: () => failure };
}

/**
 * Run `jobs` in one evaluator process until it finishes or dies; record outcomes. Returns the site
 * the process died on when that site was not the first in it (see `evaluateInWorkers`).
 */
async function runOneEvaluator(
  evaluator: EvaluatorProcess,
  jobs: readonly EvaluationJob[],
  timeoutMs: number,
  limits: EvaluationLimits,
  outcomes: Map<string, EvaluationOutcome>,
): Promise<string | undefined> {
  const { child } = evaluator;
  let current: string | undefined;
  let started = 0;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let left = jobs.length;
  let failure: unknown;

  const onMessage = (m: WorkerMessage): void => {
    clearTimeout(timer);
    if (m.type === 'start') {
      current = m.site;
      started++;
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      return;
    }
    current = undefined;
    outcomes.set(m.site, toOutcome(m));
    if (--left === 0) child.kill('SIGKILL');
  };
  child.on('message', (batch: readonly WorkerMessage[]) => batch.forEach(onMessage));
  if (child.connected) {
    child.send({ jobs }, (err) => {
      if (err) failure ??= err;
    });
  }
  const { code, signal } = await evaluator.closed;
  clearTimeout(timer);
  const reason = (): string =>
    crashReason(evaluator.failure() ?? failure, code, signal, evaluator.stderr(), limits);
  if (current !== undefined && !outcomes.has(current)) {
    if (timedOut) outcomes.set(current, { kind: 'timeout' });
    else if (started === 1 || HEAP_LIMIT.test(evaluator.stderr())) {
      outcomes.set(current, { kind: 'crashed', reason: reason() });
    } else return current;
  } else if (left > 0 && left === jobs.length) {
    // Died before its first site: it could not start, so a fresh one would not either.
    for (const job of jobs) outcomes.set(job.site, { kind: 'crashed', reason: reason() });
  }
  return undefined;
}

/**
 * V8 reached the heap limit: only after full garbage collections, so with the current site's own
 * live data (earlier sites' contexts are unreachable by then). Other deaths (a page the OS
 * refused while earlier sites' buffers still awaited collection, a signal) prove nothing.
 */
const HEAP_LIMIT = /Reached heap limit/;

function toOutcome(m: Exclude<WorkerMessage, { type: 'start' }>): EvaluationOutcome {
  switch (m.type) {
    case 'data':
      return { kind: 'data', value: m.value };
    case 'not-data':
      return { kind: 'not-data', path: m.path, reason: m.reason, tooLarge: m.tooLarge === true };
    case 'threw':
      return { kind: 'threw', text: m.text, frames: m.frames, forbidden: m.forbidden };
  }
}

function crashReason(
  failure: unknown,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  limits: EvaluationLimits,
): string {
  const refused = stderr.indexOf(EVALUATOR_REFUSED);
  if (refused >= 0) {
    const line = stderr.slice(refused).split('\n')[0]!;
    return `the evaluator refused to run: ${line.slice(EVALUATOR_REFUSED.length, EVALUATOR_REFUSED.length + 200)}`;
  }
  if (HEAP_LIMIT.test(stderr)) {
    return `evaluation ran out of memory (the evaluator's JS heap limit, ${limits.heapMb} MiB)`;
  }
  if (/out of memory|allocation failed/i.test(stderr)) {
    return `evaluation ran out of memory (the evaluator's memory limit, ${limits.totalMb} MiB in all)`;
  }
  if (failure !== undefined) return `evaluation failed outside the definition: ${describeThrown(failure)}`;
  if (signal !== null) {
    return `the evaluator was killed (${signal}) during this site, not by osa-gitops: by the OS (out of memory?) or a signal sent to it`;
  }
  // A definition has no `process`, so it cannot exit; only a failure of the evaluator's own ends it.
  const error = /^(?:\w*Error|FATAL ERROR)\b.*$/m.exec(stderr)?.[0];
  return `the evaluator exited (code ${exitCode}) during this site${error === undefined ? '' : `: ${error.slice(0, 200)}`}`;
}
