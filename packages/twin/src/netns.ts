import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Network namespaces and the processes in them: every command has a time limit, every namespace
 * and process created is recorded so `cleanup()` removes it, also when the test or the lab fails
 * half way, and on the process's exit (`process.on('exit')` runs synchronous code only, which is
 * why removal here is synchronous).
 */

export const COMMAND_TIMEOUT_MS = 15_000;

export interface RunResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A unique name prefix: the namespaces of parallel test files and labs never collide. */
export function uniquePrefix(tag: string): string {
  return `${tag}${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
}

/** Synchronous command with a time limit; throws with its stderr when it fails. */
export function must(argv: readonly string[], what = argv.join(' ')): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  if (r.status !== 0)
    throw new Error(`${what}: ${(r.stderr ?? '').trim() || r.error?.message || `exit ${r.status}`}`);
  return r.stdout;
}

/** Asynchronous command inside a namespace with a time limit (rc 124 on timeout, 255 when it could not start). */
export function runIn(
  ns: string,
  argv: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? COMMAND_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ rc: 255, stdout, stderr: stderr + e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ rc: timedOut ? 124 : (code ?? 255), stdout, stderr });
    });
  });
}

/** What one twin created, removed by `cleanup()` in reverse order. */
export class Resources {
  private readonly namespaces: string[] = [];
  private readonly processes: ChildProcess[] = [];
  private readonly paths: string[] = [];
  private readonly onExit = () => this.cleanup();

  constructor() {
    process.on('exit', this.onExit);
  }

  addNamespace(ns: string): void {
    must(['ip', 'netns', 'add', ns]);
    this.namespaces.push(ns);
    must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }

  /** A long-running process (daemon in the foreground) to kill on cleanup. */
  addProcess(child: ChildProcess): ChildProcess {
    this.processes.push(child);
    return child;
  }

  /** A file or directory outside the twin's temp dir (/etc/netns/<ns>) to remove on cleanup. */
  addPath(path: string): void {
    this.paths.push(path);
  }

  /** Kill every process, delete every namespace and path. Idempotent, synchronous. */
  cleanup(): void {
    // SIGTERM first (keepalived then drops its VIPs and reaps its children), SIGKILL what is left.
    const live = this.processes.splice(0).filter((p) => p.exitCode === null && p.signalCode === null);
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      for (const p of live) {
        try {
          p.kill(sig);
        } catch {
          // already gone
        }
      }
      if (sig === 'SIGTERM' && live.length > 0) spawnSync('sleep', ['0.5']);
    }
    for (const ns of this.namespaces.splice(0).reverse()) {
      spawnSync('ip', ['netns', 'del', ns], { timeout: COMMAND_TIMEOUT_MS });
    }
    for (const path of this.paths.splice(0).reverse()) {
      spawnSync('rm', ['-rf', '--one-file-system', path], { timeout: COMMAND_TIMEOUT_MS });
    }
    process.removeListener('exit', this.onExit);
  }
}

/** `ip -n <ns> …` */
export function ipIn(ns: string, args: readonly string[]): string {
  return must(['ip', '-n', ns, ...args], `ip -n ${ns} ${args.join(' ')}`);
}

/** Sleep; every wait in the twin is bounded by a caller's deadline. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `check` every `everyMs` until it returns a value or `timeoutMs` passes (then undefined). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 100,
): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() >= end) return undefined;
    await sleep(everyMs);
  }
}
