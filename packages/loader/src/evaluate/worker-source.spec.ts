import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { EVALUATOR_REFUSED } from './protocol';
import { workerSource } from './worker-source';

// A sloppy-mode worker function on a definition getter's stack would be handed out by
// CallSite.getFunction(), and through its constructor reach the worker's realm (worker-main.ts).
it('the worker script is strict mode from its first statement', async () => {
  expect(await workerSource()).toMatch(/^(['"])use strict\1;/);
});

// ADR 0014: a definition can reach the evaluator's intrinsics (a stack overflow inside Node's
// stack-trace callback hands it a RangeError of that realm), so they must be frozen. run-in-worker
// starts the evaluator with --frozen-intrinsics; a Node without it must not evaluate anything.
it('the worker refuses to run, saying why, unless its built-ins are frozen', async () => {
  const source = await workerSource();
  const run = (flags: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...flags, '-e', source], {
        env: {},
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const waiting = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.on('close', (code, signal) => {
        clearTimeout(waiting);
        resolve({ code, signal, stderr });
      });
    });
  const unfrozen = await run([]);
  expect(unfrozen).toEqual({
    code: 70,
    signal: null,
    stderr: `${EVALUATOR_REFUSED}its built-ins are not frozen (node --frozen-intrinsics)\n`,
  });
  const frozen = await run(['--frozen-intrinsics', '--disable-warning=ExperimentalWarning']);
  // It waits for its jobs (the parent ends it once it has every result).
  expect(frozen).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
}, 30_000);
