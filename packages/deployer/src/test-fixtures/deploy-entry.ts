/**
 * Test entry: run one deploy in its own process so a test can SIGKILL it at a chosen point.
 *
 *   node deploy-entry.cjs <options.json>
 *
 * options.json: { site, tree: {path: text}, configDir, osaDir, osaBin, commit, timeoutMs,
 * lockTimeoutMs, keepBackups, restoreOnFailure, env }.
 *
 * Environment (read only here, never by the deployer itself):
 * - OSA_GITOPS_TEST_KILL_AT: `op:N` SIGKILL just before the Nth mutating fs call; `op:N:torn`
 *   write half of that call's data first (a torn temp file); `step:<name>` at a named step.
 * - OSA_GITOPS_TEST_TRACE: append `op <n> <call> <path>` and `step <name>` lines to this file.
 * - OSA_GITOPS_TEST_PAUSE_AT=step:<name> with OSA_GITOPS_TEST_PAUSE_FILE=<f>: at that step,
 *   create `<f>.reached` and wait until `<f>` exists.
 */
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { toRenderedTree } from '@osa-gitops/core';
import { DeployError } from '../deploy-error';
import { nodeDeployFs } from '../deploy-fs';
import { createDeployLog } from '../deploy-log';
import { deploySite } from '../deploy-site';
import { interceptFs } from './faulty-fs';

interface EntryOptions {
  site: string;
  tree: Record<string, string>;
  configDir: string;
  osaDir: string;
  osaBin: string;
  commit: string | null;
  timeoutMs: number;
  lockTimeoutMs: number;
  keepBackups: number;
  restoreOnFailure: boolean;
  env: Record<string, string>;
}

async function main(): Promise<number> {
  const o = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as EntryOptions;
  const killAt = process.env.OSA_GITOPS_TEST_KILL_AT ?? '';
  const trace = process.env.OSA_GITOPS_TEST_TRACE;
  const pauseAt = process.env.OSA_GITOPS_TEST_PAUSE_AT;
  const pauseFile = process.env.OSA_GITOPS_TEST_PAUSE_FILE;
  const note = (line: string): void => {
    if (trace) fs.appendFileSync(trace, `${line}\n`);
  };
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  const [kind, at, mode] = killAt.split(':');

  const deployFs = interceptFs(nodeDeployFs, (call, args) => {
    note(`op ${call.n} ${call.op} ${call.path}`);
    if (kind !== 'op' || Number(at) !== call.n) return;
    if (mode === 'torn' && call.op === 'writeFileDurable') {
      const data = Buffer.from(args[1] as string | Buffer);
      fs.writeFileSync(call.path, data.subarray(0, Math.floor(data.length / 2)));
    }
    die();
  });

  try {
    return await deploySite({
      site: o.site,
      tree: toRenderedTree(Object.entries(o.tree)),
      configDir: o.configDir,
      osaDir: o.osaDir,
      osaBin: o.osaBin,
      extraArgs: [],
      python: '/usr/bin/python3',
      commit: o.commit,
      timeoutMs: o.timeoutMs,
      lockTimeoutMs: o.lockTimeoutMs,
      keepBackups: o.keepBackups,
      restoreOnFailure: o.restoreOnFailure,
      dryRun: false,
      env: o.env,
      log: createDeployLog({
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
      }),
      fs: deployFs,
      killGraceMs: 2_000,
      lockPollMs: 50,
      onStep: async (step) => {
        note(`step ${step}`);
        if (kind === 'step' && at === step) die();
        if (pauseAt === `step:${step}` && pauseFile) {
          fs.writeFileSync(`${pauseFile}.reached`, String(process.pid));
          while (!fs.existsSync(pauseFile)) await sleep(20);
        }
      },
    });
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    process.stderr.write(`deploy: error: ${err.message}\n`);
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 70;
  },
);
