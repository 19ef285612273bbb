import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { RenderedTree } from '@osa-gitops/core';
import { FIXTURES, SITE, STUB_OSA_BIN, tempDir } from './fixture';

/**
 * Bundle deploy-entry.ts once per test file: a plain `node bundle.cjs` starts in a fraction of
 * tsx's time, which matters when a test kills a deployer at each of ~50 points.
 */
export async function bundleDeployEntry(): Promise<string> {
  const outfile = path.join(tempDir('entry'), 'deploy-entry.cjs');
  await build({
    entryPoints: [path.join(FIXTURES, 'deploy-entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

export interface EntryRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnedDeploy {
  readonly pid: number;
  /** Output so far. */
  output(): string;
  readonly done: Promise<EntryRun>;
}

export interface EntrySettings {
  readonly configDir: string;
  readonly osaDir: string;
  readonly tree: RenderedTree;
  readonly record: string;
  readonly stubRc?: number;
  readonly waitFor?: string;
  readonly lockTimeoutMs?: number;
  readonly restoreOnFailure?: boolean;
  /** OSA_GITOPS_TEST_* variables for the entry script. */
  readonly testEnv?: Record<string, string>;
  /** More variables for the stub playbook (e.g. OSA_STUB_INVENTORY). */
  readonly stubEnv?: Record<string, string>;
}

export function spawnDeploy(bundle: string, s: EntrySettings): SpawnedDeploy {
  const optionsFile = path.join(tempDir('entry-options'), 'options.json');
  fs.writeFileSync(
    optionsFile,
    JSON.stringify({
      site: SITE,
      tree: Object.fromEntries(s.tree),
      configDir: s.configDir,
      osaDir: s.osaDir,
      osaBin: STUB_OSA_BIN,
      commit: 'c0ffee2',
      timeoutMs: 120_000,
      lockTimeoutMs: s.lockTimeoutMs ?? 60_000,
      keepBackups: 10,
      restoreOnFailure: s.restoreOnFailure ?? true,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        OSA_STUB_RECORD: s.record,
        OSA_STUB_RC: String(s.stubRc ?? 0),
        ...(s.waitFor ? { OSA_STUB_WAIT_FOR: s.waitFor } : {}),
        ...s.stubEnv,
      },
    }),
  );
  const child = spawn(process.execPath, [bundle, optionsFile], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...s.testEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<EntryRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { pid: child.pid!, output: () => out + err, done };
}

/**
 * Wait until `check` holds. Polls; the overall limit only stops a broken test from hanging
 * (no assertion depends on timing).
 */
export async function waitUntil(check: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
