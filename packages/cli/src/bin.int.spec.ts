import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WORKER_BUILD_OPTIONS } from '@osa-gitops/loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from './test-utils/workspace-fixture';

const BIN = path.join(__dirname, '..', 'bin', 'osa-gitops.cjs');
const REPO = path.join(__dirname, '..', '..', '..');

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
}

/** Run the real bin as a user would (async spawn; never spawnSync in tests). */
function runBin(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await ws.writeSite({ name: 'dc-a', index: 1 });
});
afterAll(async () => {
  await ws?.[Symbol.asyncDispose]();
});

/** The bin with its stdout pipe closed by the reader before anything is written (`| head -0`). */
function runBinClosedStdout(args: string[], cwd: string): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}

// Each test spawns the real bin (a Node start, maybe a CLI build): seconds on a loaded machine.
describe('bin/osa-gitops.cjs', { timeout: 60_000 }, () => {
  it('prints its version with --version and -V; --help lists the option', async () => {
    const { version } = JSON.parse(await readFile(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const { code, out, err } = await runBin([flag], ws.root);
      expect({ code, out, err }).toEqual({ code: 0, out: `osa-gitops ${version}\n`, err: '' });
    }
    const help = await runBin(['--help'], ws.root);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^ {2}-V, --version {2}print the version$/m);
  });

  it('exits quietly with its own exit code when the reader of stdout goes away (EPIPE)', async () => {
    const { code, err } = await runBinClosedStdout(['validate'], ws.root);
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('runs the CLI build (built on first use, then cached): validate --json', async () => {
    const cache = path.join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'osa-gitops');
    for (const f of existsSync(cache) ? readdirSync(cache) : []) rmSync(path.join(cache, f), { force: true });
    const { code, out, err } = await runBin(['validate', '--json'], ws.root);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ schemaVersion: 1, command: 'validate', ok: true });
    // The cache holds a build and the inputs it was built from, every one an existing file (a
    // missing one makes the key uncomputable, and every run builds again).
    const inputs = JSON.parse(await readFile(path.join(cache, 'inputs.json'), 'utf8')) as string[];
    expect(inputs).toContain(path.resolve(__dirname, '../../loader/src/evaluate/worker-main.ts'));
    expect(inputs.filter((f) => !existsSync(f))).toEqual([]);
    const builds = readdirSync(cache).filter((f) => /^cli-[0-9a-f]+\.cjs$/.test(f));
    expect(builds.length).toBeGreaterThan(0);
    // V8's code cache of the build, written when that first command exited; used from now on.
    expect(readdirSync(cache)).toContain(builds[0]!.replace(/\.cjs$/, '.v8'));
    const again = await runBin(['validate', '--json'], ws.root);
    expect(again.err).toBe('');
    expect(JSON.parse(again.out)).toMatchObject({ command: 'validate', ok: true });
  });

  it('runs the same from memory when the cache is bypassed', async () => {
    const { code, out, err } = await runBin(['validate', '--json'], ws.root, { OSA_GITOPS_NO_CACHE: '1' });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ command: 'validate', ok: true });
  });

  it('uses no private Node API, and builds the worker exactly as the loader does', async () => {
    for (const file of ['osa-gitops.cjs', 'build-cli.cjs']) {
      const text = await readFile(path.join(__dirname, '..', 'bin', file), 'utf8');
      expect(text, file).not.toMatch(/\._compile\b|_nodeModulePaths|process\.binding/);
    }
    const { WORKER_OPTIONS } = require('../bin/build-cli.cjs') as { WORKER_OPTIONS: unknown };
    expect(WORKER_OPTIONS).toEqual(WORKER_BUILD_OPTIONS);
  });

  it('places an issue on its line, with the TypeScript compiler the build loads only then (cached and from memory)', async () => {
    // The compiler stays outside the build (build-cli.cjs `external`): a 10 MB bundle cost every
    // command ~40 ms to read even when nothing needed it. It must still load from the build.
    await using bad = await createWorkspace();
    await bad.writeSite({ name: 'dc-b', index: 2, vlan: 5000 });
    const text = await readFile(path.join(bad.root, 'environments/dc-b/environment.ts'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('vlan: 5000')) + 1;
    expect(line).toBeGreaterThan(0);
    for (const env of [{}, { OSA_GITOPS_NO_CACHE: '1' }] as Record<string, string>[]) {
      const { code, out, err } = await runBin(['validate', '--json'], bad.root, env);
      expect(err).toBe('');
      expect(code).toBe(1);
      const issues = (JSON.parse(out) as { sites: { issues: { path: string[]; line?: number }[] }[] })
        .sites[0]!.issues;
      expect(issues.find((i) => i.path.at(-1) === 'vlan')).toMatchObject({ line });
    }
  });

  it('exits when no site reaches evaluation (the evaluator started early is not left waiting)', async () => {
    await using bad = await createWorkspace();
    await mkdir(path.join(bad.root, 'environments', 'Bad_Name'), { recursive: true });
    await writeFile(
      path.join(bad.root, 'environments', 'Bad_Name', 'environment.ts'),
      'export default {};\n',
    );
    const { code, out } = await runBin(['validate', 'Bad_Name'], bad.root);
    expect(code).toBe(1);
    expect(out).toContain('NAME_INVALID');
  });

  it('verify runs the playbook shipped in packages/deployer, a tracked file (cached build and from memory)', async () => {
    // VERIFY_PLAYBOOK was once joined from __dirname, which the build moves: from the bin it named
    // node_modules/playbooks/… (cached) or packages/playbooks/… (from memory), and every deploy
    // on a real host would have ended "verification failed". A stand-in wrapper records its argv.
    await using site = await createWorkspace();
    await site.writeSite({ name: 'dc-a', index: 1 });
    expect((await runBin(['render'], site.root)).code).toBe(0);
    await site.commit('dc-a');
    const dir = await mkdtemp(path.join(tmpdir(), 'osa-gitops-bin-verify-'));
    try {
      const wrapper = path.join(dir, 'openstack-ansible');
      await writeFile(wrapper, '#!/usr/bin/env bash\nprintf \'%s\\n\' "$@" > "$ARGV_OUT"\n', { mode: 0o755 });
      await mkdir(path.join(dir, 'config'));
      const shipped = path.join(REPO, 'packages', 'deployer', 'playbooks', 'osa-gitops-verify.yml');
      for (const env of [{}, { OSA_GITOPS_NO_CACHE: '1' }] as Record<string, string>[]) {
        const argvOut = path.join(dir, 'argv');
        await rm(argvOut, { force: true });
        const args = ['verify', 'dc-a', '--config-dir', path.join(dir, 'config'), '--osa-dir', dir];
        const { code, err } = await runBin([...args, '--osa-bin', wrapper], site.root, {
          ...env,
          ARGV_OUT: argvOut,
        });
        expect(code, err).toBe(0); // no stage recorded as applied: every check is "not applicable"
        const playbook = (await readFile(argvOut, 'utf8')).split('\n')[0]!;
        expect(await realpath(playbook), JSON.stringify(env)).toBe(await realpath(shipped));
      }
      // A fresh clone has it: the file is tracked, not generated.
      const tracked = await git(['ls-files', '--error-unmatch', path.relative(REPO, shipped)], REPO);
      expect(tracked.trim()).toBe('packages/deployer/playbooks/osa-gitops-verify.yml');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('bundles no workspace source that finds files next to itself, but the reviewed ones', async () => {
    // In the build every module shares one __dirname (the cache folder, or packages/cli/src from
    // memory), so a path joined from it names a file that is not there. A new use must find its
    // file as verify-playbook.ts does (through the package's exports) and be added here.
    const reviewed: Record<string, string> = {
      'packages/deployer/src/verify/verify-playbook.ts':
        'createRequire(__filename) resolves the package export',
      'packages/deployer/src/stages/stage-argv.ts':
        'createRequire(__filename) resolves the package export (the cut-over playbook)',
      'packages/loader/src/evaluate/worker-main.ts': 'names __dirname only to hide it from definitions',
      'packages/loader/src/evaluate/worker-source.ts':
        'uses __dirname only when the build did not embed the worker',
    };
    const { inputs } = (await require('../bin/build-cli.cjs').buildCli()) as { inputs: string[] };
    const uses: string[] = [];
    for (const file of inputs) {
      if (file.split(path.sep).includes('node_modules')) continue;
      if (/\b__(dirname|filename)\b/.test(await readFile(file, 'utf8'))) uses.push(path.relative(REPO, file));
    }
    expect(uses.sort()).toEqual(Object.keys(reviewed).sort());
  });

  it('answers --help and --version from beside the cached build as the build and from memory do', async () => {
    const cacheDir = path.join(REPO, 'node_modules', '.cache', 'osa-gitops');
    for (const arg of ['--help', '-h', '--version', '-V']) {
      const fromMemory = await runBin([arg], ws.root, { OSA_GITOPS_NO_CACHE: '1' });
      const first = await runBin([arg], ws.root); // loads the build (and writes the answers once)
      const answers = readdirSync(cacheDir).filter((f) => /^cli-[0-9a-f]+\.answers\.json$/.test(f));
      expect(answers, 'one answers file, beside the current build only').toHaveLength(1);
      expect(existsSync(path.join(cacheDir, answers[0]!.replace('.answers.json', '.cjs')))).toBe(true);
      const answered = await runBin([arg], ws.root); // from the answers file
      for (const r of [first, answered]) {
        expect(r).toEqual(fromMemory);
      }
      expect(fromMemory.code).toBe(0);
    }
    expect((await runBin(['--version'], ws.root)).out).toMatch(/^osa-gitops \d+\.\d+\.\d+\n$/);
    // The answered run never reads the build: a preloaded spy lists the cache files it read.
    const spyDir = await mkdtemp(path.join(tmpdir(), 'osa-gitops-spy-'));
    try {
      const spy = path.join(spyDir, 'spy.cjs');
      await writeFile(
        spy,
        "const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];\n" +
          'fs.readFileSync = function (f, ...rest) { if (typeof f === "string" && f.includes(".cache")) seen.push(require("node:path").basename(f)); return read.call(this, f, ...rest); };\n' +
          "process.on('exit', () => process.stderr.write(`read: ${seen.join(' ')}\\n`));\n",
      );
      const spied = await runBin(['--help'], ws.root, { NODE_OPTIONS: `--require ${spy}` });
      expect(spied.code).toBe(0);
      expect(spied.err).toMatch(/^read: inputs\.json cli-[0-9a-f]+\.answers\.json\n$/);
      const validate = await runBin(['validate'], ws.root, { NODE_OPTIONS: `--require ${spy}` });
      expect(validate.err).toMatch(/cli-[0-9a-f]+\.cjs/); // the spy sees a build being read
    } finally {
      await rm(spyDir, { recursive: true, force: true });
    }
  });

  it('exits 2 with help for an unknown command', async () => {
    const { code, err } = await runBin(['nope'], ws.root);
    expect(code).toBe(2);
    expect(err).toContain('unknown command "nope"');
  });
});
