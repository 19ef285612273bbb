import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executable, findExecutable, isCi, requirementStatus, source } from './requires';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A PATH dir holding one executable script `name` (and nothing else). */
function binDir(name?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'requires-'));
  dirs.push(dir);
  if (name !== undefined) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('findExecutable', () => {
  it('finds an executable on the given PATH only', () => {
    const dir = binDir('osa-gitops-demo-tool');
    expect(findExecutable('osa-gitops-demo-tool', dir)).toBe(join(dir, 'osa-gitops-demo-tool'));
    expect(findExecutable('osa-gitops-demo-tool', binDir())).toBeUndefined();
  });

  it('ignores a file that is not executable, and checks a path as given', () => {
    const dir = binDir();
    writeFileSync(join(dir, 'plain'), 'x');
    expect(findExecutable('plain', dir)).toBeUndefined();
    expect(findExecutable(join(dir, 'plain'))).toBeUndefined();
    expect(findExecutable('/bin/sh')).toBe('/bin/sh');
  });
});

describe('requirementStatus', () => {
  const missingTool = executable('osa-gitops-no-such-tool', 'installed by .ci/run', binDir());
  const missingSource = source('OSA_INVENTORY_SRC', 'set it to a checkout', () => false);

  it('runs when everything is there', () => {
    expect(requirementStatus([executable('sh', 'base system', '/bin')], true)).toEqual({ action: 'run' });
  });

  it('skips a missing tool with the reason, and fails under CI', () => {
    expect(requirementStatus([missingTool], false)).toEqual({
      action: 'skip',
      reason:
        'osa-gitops-no-such-tool is not installed: installed by .ci/run. Under CI=true this fails instead',
    });
    const ci = requirementStatus([missingTool], true);
    expect(ci.action).toBe('fail');
    expect(ci.action !== 'run' && ci.reason).toContain('osa-gitops-no-such-tool is not installed');
  });

  it('skips a missing source under CI too, and checks sources before tools', () => {
    expect(requirementStatus([missingSource, missingTool], true)).toEqual({
      action: 'skip',
      reason: 'OSA_INVENTORY_SRC is not available: set it to a checkout',
    });
  });

  it('reads CI=true and CI=1 as CI', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});

/** vitest on fixtures/requires-demo in a child process, with the PATH and CI given. */
function runDemo(path: string, ci: boolean): Promise<{ rc: number | null; out: string }> {
  const vitest = join(dirname(createRequire(__filename).resolve('vitest/package.json')), 'vitest.mjs');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.CI;
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  if (ci) env.CI = 'true';
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vitest, 'run', '--root', join(__dirname, '..', 'fixtures', 'requires-demo')],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (rc) => {
      clearTimeout(timer);
      resolve({ rc, out });
    });
  });
}

describe('describeRequiring in a real vitest run', () => {
  it('skips with the reason printed when the tool is absent, and passes', async () => {
    const r = await runDemo(binDir(), false);
    expect(r.out).toContain('[skipped] uses the demo tool: osa-gitops-demo-tool is not installed');
    expect(r.out).toMatch(/1 skipped/);
    expect(r.rc).toBe(0);
  }, 130_000);

  it('fails under CI=true when the tool is absent, naming it', async () => {
    const r = await runDemo(binDir(), true);
    expect(r.out).toContain('osa-gitops-demo-tool is not installed');
    expect(r.out).toMatch(/1 failed/);
    expect(r.rc).toBe(1);
  }, 130_000);

  it('runs the tests when the tool is on PATH, under CI too', async () => {
    const r = await runDemo(binDir('osa-gitops-demo-tool'), true);
    expect(r.out).toMatch(/1 passed/);
    expect(r.rc).toBe(0);
  }, 130_000);
});
