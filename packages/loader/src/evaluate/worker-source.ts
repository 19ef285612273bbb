import * as path from 'node:path';
import * as esbuild from 'esbuild';

let cached: Promise<string> | undefined;

export const WORKER_BANNER = "'use strict';";

/**
 * The evaluation worker as one CommonJS script. Built from `worker-main.ts` with esbuild on first
 * use (tens of milliseconds, once per process) because a Worker does not inherit the TypeScript
 * hooks of its parent: neither swc-node (under Nx) nor vitest's transform reach into it.
 *
 * The script is strict mode as a whole (`WORKER_BANNER`): V8 hands a sloppy-mode function to
 * `CallSite.getFunction()`, so a definition's getter that runs under the worker's copy loop could
 * otherwise pick a worker function off its own stack trace and reach the worker's realm.
 */
export function workerSource(): Promise<string> {
  cached ??= esbuild
    .build({
      entryPoints: [path.join(__dirname, 'worker-main.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      banner: { js: WORKER_BANNER },
      logLevel: 'silent',
    })
    .then((r) => r.outputFiles[0]!.text)
    .catch((err: unknown) => {
      cached = undefined; // let a later call retry instead of caching the failure
      throw err;
    });
  return cached;
}
