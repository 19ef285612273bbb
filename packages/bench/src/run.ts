import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validateEnvironment, type Environment } from '@osa-gitops/core';
import {
  changedFleet,
  diffFleets,
  fleetChecksOnly,
  fleetValidateRender,
  renderFleet,
  reportAndMarkdown,
  validateAndRenderOne,
  validateOne,
  type CaseResult,
} from './cases';
import { syntheticFleet } from './fleet';

/**
 * `npm run bench`: every case runs in its own child process (fresh heap, so `maxRSS` is that
 * case's peak), warms up, then reports the median of several timed runs. Prints a table, writes
 * `packages/bench/results/latest.json`, and with `--readme` replaces the table in README.md.
 * Timing lives here and only here: tests never assert on time.
 */

const ROOT = resolve(__dirname, '../../..');

interface Measurement {
  readonly id: string;
  readonly what: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  readonly produced: number;
  readonly peakRssMb: number;
  readonly target?: string;
  readonly targetMs?: number;
  readonly targetMb?: number;
}

interface CaseSpec {
  readonly id: string;
  readonly what: string;
  readonly runs: number;
  readonly warmup: number;
  readonly target?: string;
  readonly targetMs?: number;
  readonly targetMb?: number;
  /** Prepare outside the timed region; return the timed body. */
  readonly setup: () => () => CaseResult;
}

const FLEET_SIZES = [1, 10, 100, 1000];

const CASES: readonly CaseSpec[] = [
  {
    id: 'validate-one',
    what: 'validate one site (10 hosts), warm, in-process',
    runs: 200,
    warmup: 20,
    setup: () => () => validateOne(10),
  },
  {
    id: 'validate-render-one',
    what: 'validate + render one site (10 hosts), warm, in-process',
    runs: 200,
    warmup: 20,
    target: '< 5 ms',
    targetMs: 5,
    setup: () => () => validateAndRenderOne(10),
  },
  ...FLEET_SIZES.map((n): CaseSpec => ({
    id: `fleet-${n}x10`,
    what: `${n} site(s) × 10 hosts: validate, fleet checks, render`,
    runs: n >= 1000 ? 3 : 5,
    warmup: 1,
    ...(n === 1000 ? { target: '< 3 s, < 500 MB', targetMs: 3000, targetMb: 500 } : {}),
    setup: () => () => fleetValidateRender(n, 10),
  })),
  {
    id: 'fleet-1000-mixed',
    what: '1,000 sites × 3–30 hosts: validate, fleet checks, render',
    runs: 3,
    warmup: 1,
    setup: () => () => fleetValidateRender(1000),
  },
  {
    id: 'fleet-checks-1000',
    what: 'fleet checks alone, 1,000 parsed sites',
    runs: 10,
    warmup: 2,
    setup: () => {
      const envs: Environment[] = syntheticFleet(1000, { hosts: 10 }).map(
        (s) => validateEnvironment(s).environment!,
      );
      return () => fleetChecksOnly(envs);
    },
  },
  {
    id: 'report-200',
    what: 'diff + network changes + Markdown report, 200 changed sites',
    runs: 5,
    warmup: 1,
    target: '< 2 s',
    targetMs: 2000,
    setup: () => {
      const pairs = diffFleets(
        renderFleet(syntheticFleet(200, { hosts: 10 })),
        renderFleet(changedFleet(200)),
      );
      return () => reportAndMarkdown(pairs);
    },
  },
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function runCaseInThisProcess(spec: CaseSpec): Measurement {
  const body = spec.setup();
  let produced = 0;
  for (let i = 0; i < spec.warmup; i++) produced = body().produced;
  const times: number[] = [];
  for (let i = 0; i < spec.runs; i++) {
    const t0 = performance.now();
    produced = body().produced;
    times.push(performance.now() - t0);
  }
  return {
    id: spec.id,
    what: spec.what,
    medianMs: median(times),
    minMs: Math.min(...times),
    runs: spec.runs,
    produced,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(spec.target ? { target: spec.target } : {}),
    ...(spec.targetMs ? { targetMs: spec.targetMs } : {}),
    ...(spec.targetMb ? { targetMb: spec.targetMb } : {}),
  };
}

function spawnTimed(
  cmd: string,
  args: readonly string[],
): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', NX_DAEMON: 'false' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ ms: performance.now() - t0, code, out }));
  });
}

async function measureCommand(
  id: string,
  what: string,
  cmd: string,
  args: readonly string[],
  runs: number,
  target?: { text: string; ms: number },
): Promise<Measurement> {
  const times: number[] = [];
  await spawnTimed(cmd, args); // warm the OS file cache, as a second invocation would be
  for (let i = 0; i < runs; i++) {
    const r = await spawnTimed(cmd, args);
    if (r.code !== 0) throw new Error(`${id}: ${cmd} ${args.join(' ')} exited ${r.code}\n${r.out}`);
    times.push(r.ms);
  }
  return {
    id,
    what,
    medianMs: median(times),
    minMs: Math.min(...times),
    runs,
    produced: 0,
    peakRssMb: 0,
    ...(target ? { target: target.text, targetMs: target.ms } : {}),
  };
}

async function runChild(spec: CaseSpec): Promise<Measurement> {
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  const r = await spawnTimed(tsx, [__filename, '--child', spec.id]);
  if (r.code !== 0) throw new Error(`case ${spec.id} failed:\n${r.out}`);
  const line = r.out.trim().split('\n').pop()!;
  return JSON.parse(line) as Measurement;
}

function verdict(m: Measurement): string {
  if (m.targetMs === undefined) return '';
  const timeOk = m.medianMs <= m.targetMs;
  const memOk = m.targetMb === undefined || m.peakRssMb <= m.targetMb;
  return timeOk && memOk ? 'met' : 'MISSED';
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function table(results: readonly Measurement[]): string {
  const rows = results.map(
    (m) =>
      `| ${m.what} | ${fmtMs(m.medianMs)} | ${m.peakRssMb ? m.peakRssMb.toFixed(0) : '–'} | ${m.target ?? ''} ${verdict(m)} |`,
  );
  return ['| case | median ms | peak RSS MB | target |', '|---|---:|---:|---|', ...rows].join('\n');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const spec = CASES.find((c) => c.id === args[1]);
    if (!spec) throw new Error(`unknown case ${args[1]}`);
    process.stdout.write(`${JSON.stringify(runCaseInThisProcess(spec))}\n`);
    return;
  }
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const results: Measurement[] = [];
  for (const spec of CASES) {
    if (only && !spec.id.startsWith(only)) continue;
    process.stderr.write(`bench: ${spec.id}…\n`);
    results.push(await runChild(spec));
  }
  if (!only || 'cli'.startsWith(only)) {
    process.stderr.write('bench: cli-cold…\n');
    const bin = join(ROOT, 'packages/cli/bin/osa-gitops.cjs');
    results.push(
      await measureCommand(
        'cli-cold',
        'CLI cold start: `validate` of the example sites',
        process.execPath,
        [bin, 'validate'],
        5,
        {
          text: '< 1 s',
          ms: 1000,
        },
      ),
    );
  }
  if (!only || 'nx'.startsWith(only)) {
    process.stderr.write('bench: nx-sync-check…\n');
    const nx = join(ROOT, 'node_modules/nx/dist/bin/nx.js');
    results.push(
      await measureCommand(
        'nx-sync-check',
        'Nx generator path: `nx sync:check` over the example sites',
        process.execPath,
        [nx, 'sync:check'],
        3,
      ),
    );
  }

  const byId = new Map(results.map((r) => [r.id, r]));
  const growth =
    byId.get('fleet-100x10') && byId.get('fleet-1000x10')
      ? byId.get('fleet-1000x10')!.medianMs / byId.get('fleet-100x10')!.medianMs
      : undefined;
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    growth100to1000: growth,
    results,
  };
  const out = join(ROOT, 'packages/bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);

  const text = [
    `Measured ${summary.date} on ${summary.machine}.`,
    '',
    table(results),
    '',
    growth === undefined
      ? ''
      : `Growth from 100 to 1,000 sites: ×${growth.toFixed(1)} time for ×10 sites (near-linear is ×10).`,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (args.includes('--readme')) {
    const readme = join(ROOT, 'README.md');
    const current = readFileSync(readme, 'utf8');
    const next = current.replace(
      /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
      `<!-- bench:start -->\n${text.trim()}\n<!-- bench:end -->`,
    );
    writeFileSync(readme, next);
  }
  if (results.some((r) => verdict(r) === 'MISSED')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
