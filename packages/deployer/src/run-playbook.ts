import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { DEPLOY_ARGV } from '@osa-gitops/report';
import { DeployError } from './deploy-error';
import type { DeployLog } from './deploy-log';

/**
 * The command comes from core's DEPLOY_ARGV, which the PR plan prints too, so what reviewers are
 * told will run and what runs cannot disagree: `openstack-ansible
 * playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts` (docs/osa-facts.md#guide-step-6, #container-playbook;
 * `haproxy`: the containers, `lxc_hosts`: their physical hosts, for play 2's facts).
 */
export const OSA_WRAPPER = DEPLOY_ARGV[0];
export const PLAYBOOK = DEPLOY_ARGV[1];
/** Exit code when the playbook outlived `--timeout` (as GNU timeout(1) reports it). */
export const EXIT_TIMEOUT = 124;
/** Exit code when the OSA wrapper could not be started at all (as a shell reports it). */
export const EXIT_NOT_STARTED = 127;

export function playbookArgs(extraArgs: readonly string[]): string[] {
  return [...DEPLOY_ARGV.slice(1), ...extraArgs];
}

export interface RunPlaybookOptions {
  /** Absolute path of the openstack-ansible wrapper (see `resolveExecutable`). */
  readonly osaBin: string;
  readonly osaDir: string;
  readonly configDir: string;
  readonly extraArgs: readonly string[];
  /** The wrapper's arguments when not the container playbook's (a deploy stage, verify). */
  readonly args?: readonly string[];
  /** Base environment of the child; OSA_CONFIG_DIR is set on top. Never printed. */
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** Time between SIGTERM and SIGKILL to the process group. @default 30000 */
  readonly killGraceMs?: number;
  readonly log: DeployLog;
  /** Aborting (SIGINT/SIGTERM of the deployer) stops the playbook like a timeout does. */
  readonly signal?: AbortSignal;
  /** Called with the child's pid (= its process group id) as soon as it runs. */
  readonly onSpawn?: (pid: number) => Promise<void>;
}

export interface PlaybookResult {
  /** The wrapper's exit code, or EXIT_TIMEOUT, 128+signal, EXIT_NOT_STARTED. */
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

/**
 * Run `openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts` from the
 * OSA dir, without a shell, in its own process group (ansible forks workers; a timeout must stop
 * all of them: SIGTERM to the group, SIGKILL after the grace time). Output is streamed line by
 * line with timestamps. The exit code is returned unchanged (ansible: 0 ok, 1 error, 2 failed
 * hosts, 4 unreachable, 8 ..., docs/osa-facts.md#container-playbook).
 */
export function runPlaybook(opts: RunPlaybookOptions): Promise<PlaybookResult> {
  const args = opts.args ?? playbookArgs(opts.extraArgs);
  return new Promise((resolve) => {
    const child = spawn(opts.osaBin, args, {
      cwd: opts.osaDir,
      env: { ...opts.env, OSA_CONFIG_DIR: opts.configDir },
      detached: true, // own process group, so the whole tree can be signalled
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: string): void => {
      if (killTimer || child.pid === undefined) return;
      opts.log.warn(`${why}: sending SIGTERM to the playbook's process group ${child.pid}`);
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        opts.log.warn(`the playbook did not stop: sending SIGKILL to process group ${child.pid}`);
        signalGroup(child.pid!, 'SIGKILL');
      }, opts.killGraceMs ?? 30_000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop(`the playbook exceeded --timeout (${Math.round(opts.timeoutMs / 1000)}s)`);
    }, opts.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop('deploy interrupted');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();

    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream], crlfDelay: Infinity }).on('line', (line) =>
        opts.log.playbookLine(stream, line),
      );
    }
    const spawned = new Promise<void>((ok) => {
      child.once('spawn', ok);
      child.once('error', () => ok());
    })
      .then(async () => {
        if (child.pid !== undefined) await opts.onSpawn?.(child.pid);
      })
      .catch((err: unknown) =>
        opts.log.warn(`could not record the playbook's process group: ${String(err)}`),
      );
    let settled = false;
    const finish = (result: PlaybookResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Do not report before the journal knows the pgid: the caller clears the journal next.
      void spawned.then(() => resolve(result));
    };
    child.once('error', (err) => {
      opts.log.error(`cannot start ${opts.osaBin}: ${err.message}`);
      finish({ exitCode: EXIT_NOT_STARTED, signal: null, timedOut, aborted });
    });
    child.once('close', (code, signal) => {
      const exitCode =
        code !== null
          ? code
          : timedOut
            ? EXIT_TIMEOUT
            : 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
      finish({ exitCode, signal, timedOut, aborted });
    });
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/** `'openstack-ansible' 'playbooks/…' …` for logs: every element quoted when not plain. */
export function formatCommand(bin: string, args: readonly string[]): string {
  return [bin, ...args]
    .map((a) => (/^[A-Za-z0-9_./,=:@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/**
 * Resolve the wrapper before anything changes: an absolute path must be executable; a bare
 * name is looked up on PATH (of the environment the child gets). Relative paths are refused:
 * they would resolve against the OSA dir, which surprises people.
 */
export async function resolveExecutable(bin: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (path.isAbsolute(bin)) {
    if (await isExecutable(bin)) return bin;
    throw new DeployError(`--osa-bin ${bin} is not an executable file`);
  }
  if (!/^[A-Za-z0-9._+-]+$/.test(bin)) {
    throw new DeployError(
      `--osa-bin must be an absolute path or a command name on PATH, not ${JSON.stringify(bin)}`,
    );
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && path.isAbsolute(dir) && (await isExecutable(path.join(dir, bin)))) return path.join(dir, bin);
  }
  throw new DeployError(
    `${bin} is not on PATH; install openstack-ansible (scripts/bootstrap-ansible.sh) or pass --osa-bin`,
  );
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stats = await fsp.stat(file);
    if (!stats.isFile()) return false;
    await fsp.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
