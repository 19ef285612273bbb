import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BundleFrame, EvaluationJob, WorkerMessage } from './protocol';
import { describeThrown } from './to-plain-data';
import { workerSource } from './worker-source';

export type EvaluationOutcome =
  | { readonly kind: 'data'; readonly value: unknown }
  | { readonly kind: 'not-data'; readonly path: (string | number)[]; readonly reason: string }
  | {
      readonly kind: 'threw';
      readonly text: string;
      readonly frames: readonly BundleFrame[];
      readonly forbidden: boolean;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'crashed'; readonly reason: string };

export interface EvaluateOptions {
  /** Budget per site, counted from the moment the worker starts evaluating it. */
  readonly timeoutMs: number;
  readonly resourceLimits?: ResourceLimits;
}

/** Enough for any real site (the three examples use a few MB); small enough to stop a runaway. */
const DEFAULT_LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 32,
  stackSizeMb: 4,
};

/**
 * Evaluate bundles in a worker thread, one worker for the whole batch. When a site exhausts its
 * time budget (or the worker dies on it) the worker is terminated, that site alone gets the
 * outcome, and the sites after it continue in a fresh worker, so one endless loop never blames
 * its neighbours.
 */
export async function evaluateInWorkers(
  jobs: readonly EvaluationJob[],
  opts: EvaluateOptions,
): Promise<Map<string, EvaluationOutcome>> {
  const outcomes = new Map<string, EvaluationOutcome>();
  if (jobs.length === 0) return outcomes;
  const source = await workerSource();
  let pending = jobs;
  while (pending.length > 0) {
    await runOneWorker(source, pending, opts, outcomes);
    pending = pending.filter((j) => !outcomes.has(j.site));
  }
  return outcomes;
}

function runOneWorker(
  source: string,
  jobs: readonly EvaluationJob[],
  opts: EvaluateOptions,
  outcomes: Map<string, EvaluationOutcome>,
): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(source, {
      eval: true,
      workerData: { jobs },
      resourceLimits: opts.resourceLimits ?? DEFAULT_LIMITS,
      env: {}, // a definition has no business reading CI secrets from the environment
      stdout: true, // swallow console output: CLI JSON output must stay parseable
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let current: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let failure: unknown;
    let left = jobs.length;

    worker.on('message', (m: WorkerMessage) => {
      clearTimeout(timer);
      if (m.type === 'start') {
        current = m.site;
        timer = setTimeout(() => {
          timedOut = true;
          void worker.terminate();
        }, opts.timeoutMs);
        return;
      }
      current = undefined;
      outcomes.set(m.site, toOutcome(m));
      if (--left === 0) void worker.terminate();
    });
    worker.on('error', (err) => {
      failure ??= err;
    });
    // 'exit' comes after every posted message was delivered, so all finished sites are recorded.
    worker.on('exit', (exitCode) => {
      clearTimeout(timer);
      if (current !== undefined && !outcomes.has(current)) {
        outcomes.set(
          current,
          timedOut ? { kind: 'timeout' } : { kind: 'crashed', reason: crashReason(failure, exitCode) },
        );
      } else if (left > 0) {
        // Died between sites or before the first: nothing to blame, so fail the rest rather than loop.
        for (const job of jobs) {
          if (!outcomes.has(job.site))
            outcomes.set(job.site, { kind: 'crashed', reason: crashReason(failure, exitCode) });
        }
      }
      resolve();
    });
  });
}

function toOutcome(m: Exclude<WorkerMessage, { type: 'start' }>): EvaluationOutcome {
  switch (m.type) {
    case 'data':
      return { kind: 'data', value: m.value };
    case 'not-data':
      return { kind: 'not-data', path: m.path, reason: m.reason };
    case 'threw':
      return { kind: 'threw', text: m.text, frames: m.frames, forbidden: m.forbidden };
  }
}

function crashReason(failure: unknown, exitCode: number): string {
  if ((failure as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return 'evaluation ran out of memory';
  }
  if (failure !== undefined) return `evaluation failed outside the definition: ${describeThrown(failure)}`;
  return `the evaluator exited (code ${exitCode}); did the definition call process.exit?`;
}
