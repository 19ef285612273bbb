import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { esbuildApi } from '../bundle/esbuild-api';

let cached: Promise<string> | undefined;

export const WORKER_BANNER = "'use strict';";

/** How the worker is built; the CLI's build uses the same (asserted in worker-source.spec.ts). */
export const WORKER_BUILD_OPTIONS = {
  bundle: true,
  write: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: WORKER_BANNER },
  logLevel: 'silent',
} as const satisfies esbuild.BuildOptions;

/**
 * The CLI's build (packages/cli/bin/build-cli.cjs) replaces this name with the worker script it
 * built with the same options as below, so the installed command runs no esbuild build of its own
 * at start-up. Everywhere else (vitest, the Nx plugin, the action) it is not defined.
 */
declare const OSA_GITOPS_WORKER_SOURCE: string | undefined;

/**
 * The evaluator as one CommonJS script, run by a plain `node -e` child process (run-in-worker.ts).
 * Built from `worker-main.ts` with esbuild on first use (tens of milliseconds, once per process)
 * because the child has none of its parent's TypeScript hooks: neither swc-node (under Nx) nor
 * vitest's transform reach into it.
 *
 * The script is strict mode as a whole (`WORKER_BANNER`): V8 hands a sloppy-mode function to
 * `CallSite.getFunction()`, so a definition's getter that runs under the evaluator's copy loop could
 * otherwise pick a worker function off its own stack trace and reach the worker's realm.
 */
export function workerSource(): Promise<string> {
  if (typeof OSA_GITOPS_WORKER_SOURCE === 'string') return Promise.resolve(OSA_GITOPS_WORKER_SOURCE);
  cached ??= esbuildApi()
    .build({ ...WORKER_BUILD_OPTIONS, entryPoints: [path.join(__dirname, 'worker-main.ts')] })
    .then((r) => r.outputFiles[0]!.text)
    .catch((err: unknown) => {
      cached = undefined; // let a later call retry instead of caching the failure
      throw err;
    });
  return cached;
}
