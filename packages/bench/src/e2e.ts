import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeDiskFleet } from './disk-fleet';

/**
 * End-to-end rows: the real commands, as an operator runs them, on the synthetic fleet written to
 * disk (disk-fleet.ts), and OpenStack-Ansible's own `dynamic_inventory.py --check` of one example
 * site as the yardstick when OSA_INVENTORY_SRC is set. Each command runs once unmeasured (OS file
 * cache, the CLI's build cache, Nx's project-graph cache), then `runs` times; the median counts.
 * Peak RSS is GNU time's maximum resident set of the command (its largest process: the CLI, or
 * Nx and the tasks it starts), where /usr/bin/time exists.
 */

export interface E2eRow {
  readonly id: string;
  readonly what: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  readonly peakRssMb: number;
  /** Rows whose target is not a time: the target and the verdict itself. */
  readonly target?: string;
  readonly met?: boolean;
}

interface Timed {
  readonly ms: number;
  readonly code: number | null;
  readonly out: string;
  readonly rssMb: number;
}

const TIME = '/usr/bin/time';
const ENV = { NO_COLOR: '1', NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', CI: 'false' };

function timed(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Timed> {
  const rssFile = join(tmpdir(), `osa-bench-rss-${process.pid}`);
  const withTime = existsSync(TIME);
  const [bin, argv] = withTime ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, [...args]];
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(bin, argv, { cwd, env: { ...process.env, ...ENV, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let rssMb = 0;
      if (withTime) {
        try {
          rssMb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
          rmSync(rssFile, { force: true });
        } catch {
          rssMb = 0; // time could not write it (the command was killed): no RSS for this run
        }
      }
      done({ ms, code, out, rssMb });
    });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function measure(
  id: string,
  what: string,
  runs: number,
  cwd: string,
  cmd: string,
  args: readonly string[],
  opts: { before?: () => void; env?: NodeJS.ProcessEnv; expect?: RegExp; warmups?: number } = {},
): Promise<E2eRow> {
  process.stderr.write(`bench: ${id}…\n`);
  const times: number[] = [];
  let rss = 0;
  const warmups = opts.warmups ?? 1;
  for (let i = 1 - warmups; i <= runs; i++) {
    opts.before?.();
    const r = await timed(cmd, args, cwd, opts.env);
    if (r.code !== 0) throw new Error(`${id}: ${cmd} ${args.join(' ')} exited ${r.code}\n${r.out}`);
    // The unmeasured run may differ (it fills Nx's cache); the measured ones must say what they did.
    if (i > 0 && opts.expect && !opts.expect.test(r.out)) {
      throw new Error(`${id}: output does not match ${opts.expect}:\n${r.out}`);
    }
    if (i <= 0) continue; // unmeasured: OS file cache, the CLI's build cache, Nx's graph cache
    times.push(r.ms);
    rss = Math.max(rss, r.rssMb);
  }
  return { id, what, medianMs: median(times), minMs: Math.min(...times), runs, peakRssMb: rss };
}

/** OSA's inventory check of guide-lab's committed tree, or undefined without OSA_INVENTORY_SRC. */
export async function osaCheckRow(repoRoot: string, runs: number): Promise<E2eRow | undefined> {
  const src = process.env['OSA_INVENTORY_SRC'] ?? '';
  if (src === '' || !existsSync(join(src, 'osa_toolkit', 'generate.py'))) {
    process.stderr.write('bench: OSA --check skipped: set OSA_INVENTORY_SRC to compare against OSA\n');
    return undefined;
  }
  // The generator falls back to /etc/openstack_deploy when --config is missing: never measure that.
  if (existsSync('/etc/openstack_deploy')) throw new Error('refusing: /etc/openstack_deploy exists');
  const dir = mkdtempSync(join(tmpdir(), 'osa-bench-osa-'));
  const config = join(dir, 'deploy');
  cpSync(join(repoRoot, 'environments', 'guide-lab', 'openstack_deploy'), config, { recursive: true });
  try {
    return await measure(
      'osa-check',
      'OSA `dynamic_inventory.py --check`, one example site (guide-lab)',
      runs,
      dir,
      '/usr/bin/python3',
      [join(src, 'inventory', 'dynamic_inventory.py'), '--config', config, '--check'],
      {
        // It writes openstack_inventory.json (and a backup tar) into the config dir: start clean.
        before: () => {
          rmSync(join(config, 'openstack_inventory.json'), { force: true });
          rmSync(join(config, 'backup_openstack_inventory.tar'), { force: true });
        },
        env: { PATH: '/usr/bin:/bin' },
        expect: /Configuration ok!/,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A git repository with one commit, so `nx affected` has a base. */
async function gitInit(root: string): Promise<void> {
  writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx\n');
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'fleet'],
  ]) {
    const r = await timed('git', args, root);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  }
}

/**
 * Rows for one fleet size: `validate`, `render` (nothing left to change), `check`,
 * `nx sync:check`, one site's `nx run site-…:validate` from a cold and a warm Nx cache, and which
 * projects `nx affected -t validate` runs after one site changed.
 */
export async function fleetRows(repoRoot: string, sites: number, runs: number): Promise<E2eRow[]> {
  const root = writeDiskFleet(repoRoot, sites);
  const bin = join(repoRoot, 'packages/cli/bin/osa-gitops.cjs');
  const nx = join(repoRoot, 'node_modules/nx/dist/bin/nx.js');
  const node = process.execPath;
  // The site targets run `node packages/cli/bin/osa-gitops.cjs`, relative to the workspace.
  mkdirSync(join(root, 'packages/cli/bin'), { recursive: true });
  writeFileSync(join(root, 'packages/cli/bin/osa-gitops.cjs'), `require(${JSON.stringify(bin)});\n`);
  const rows: E2eRow[] = [];
  const label = `${sites.toLocaleString('en')} site(s) on disk`;
  const cli = (id: string, args: string[], expect?: RegExp) =>
    measure(
      `e2e-${id}-${sites}`,
      `${label}: \`osa-gitops ${args.join(' ')}\``,
      runs,
      root,
      node,
      [bin, ...args],
      {
        ...(expect ? { expect } : {}),
      },
    );
  try {
    const first = await timed(node, [bin, 'render'], root);
    if (first.code !== 0) throw new Error(`render of the fleet failed:\n${first.out}`);
    await gitInit(root);
    rows.push(await cli('validate', ['validate'], new RegExp(`${sites} site\\(s\\) valid`)));
    // The same with no bundle cache, as a clean checkout (CI) runs it.
    rows.push(
      await measure(
        `e2e-validate-clean-${sites}`,
        `${label}: \`osa-gitops validate\`, no bundle cache (a clean checkout, as in CI)`,
        runs,
        root,
        node,
        [bin, 'validate'],
        { env: { OSA_GITOPS_NO_BUNDLE_CACHE: '1' }, expect: new RegExp(`${sites} site\\(s\\) valid`) },
      ),
    );
    rows.push(await cli('render', ['render'], /already up to date/));
    rows.push(
      await measure(
        `e2e-render-clean-${sites}`,
        `${label}: \`osa-gitops render\`, no bundle cache (a clean checkout, as in CI)`,
        runs,
        root,
        node,
        [bin, 'render'],
        { env: { OSA_GITOPS_NO_BUNDLE_CACHE: '1' }, expect: /already up to date/ },
      ),
    );
    rows.push(await cli('check', ['check'], /committed trees up to date/));
    rows.push(
      await measure(`e2e-nx-sync-${sites}`, `${label}: \`nx sync:check\``, runs, root, node, [
        nx,
        'sync:check',
      ]),
    );
    rows.push(
      await measure(
        `e2e-nx-sync-clean-${sites}`,
        `${label}: \`nx sync:check\`, no bundle cache (a clean checkout, as in CI)`,
        runs,
        root,
        node,
        [nx, 'sync:check'],
        { env: { OSA_GITOPS_NO_BUNDLE_CACHE: '1' } },
      ),
    );
    const site = 'site-0000';
    const target = `site-${site}:validate`;
    rows.push(
      await measure(
        `e2e-nx-site-cold-${sites}`,
        `${label}: \`nx run ${target}\`, Nx cache skipped`,
        runs,
        root,
        node,
        [nx, 'run', target, '--skip-nx-cache'],
      ),
    );
    rows.push(
      await measure(
        `e2e-nx-site-warm-${sites}`,
        `${label}: \`nx run ${target}\`, warm Nx cache`,
        runs,
        root,
        node,
        [nx, 'run', target],
        { expect: /read the output from the cache/ },
      ),
    );
    // With the Nx daemon (Nx's default outside CI; this workspace, like the repository, turns it
    // off in nx.json): the project graph stays in memory, so a replay costs little more than the
    // client's start. Two unmeasured runs: the first starts the daemon, the second waits for it.
    try {
      rows.push(
        await measure(
          `e2e-nx-site-daemon-${sites}`,
          `${label}: \`nx run ${target}\`, warm Nx cache, Nx daemon running`,
          runs,
          root,
          node,
          [nx, 'run', target],
          { expect: /read the output from the cache/, env: { NX_DAEMON: 'true' }, warmups: 2 },
        ),
      );
    } finally {
      await timed(node, [nx, 'daemon', '--stop'], root, { NX_DAEMON: 'true' });
    }
    // One site changed: which validate targets does `nx affected` run?
    const file = join(root, 'environments', site, 'environment.ts');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}\n// changed\n`);
    const affected = await timed(
      node,
      [nx, 'show', 'projects', '--affected', '-t', 'validate', '--base=main'],
      root,
    );
    writeFileSync(file, before);
    const projects = affected.out
      .trim()
      .split('\n')
      .filter((l) => /^[a-z0-9-]+$/.test(l))
      .sort();
    const expected = ['environments-fleet', `site-${site}`];
    rows.push({
      id: `e2e-nx-affected-${sites}`,
      what: `${label}: \`nx affected -t validate\` after one site changed: ${projects.length} project(s) (${projects.slice(0, 3).join(', ')}${projects.length > 3 ? ', …' : ''})`,
      medianMs: affected.ms,
      minMs: affected.ms,
      runs: 1,
      peakRssMb: affected.rssMb,
      target: 'that site + the fleet target',
      met: projects.join(',') === expected.join(','),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Node's own start (`node -e 0`, the floor of every command here) and `osa-gitops --help`, a
 * command that reads nothing: start-up is judged against the first on the machine that runs it.
 */
export async function startRows(repoRoot: string, runs: number): Promise<E2eRow[]> {
  const node = process.execPath;
  return [
    await measure('node-start', "`node -e 0`, Node's own start", runs, repoRoot, node, ['-e', '0']),
    await measure(
      'e2e-help',
      '`osa-gitops --help`, new process',
      runs,
      repoRoot,
      node,
      [join(repoRoot, 'packages/cli/bin/osa-gitops.cjs'), '--help'],
      { expect: /^Usage: osa-gitops/ },
    ),
  ];
}

/** `osa-gitops validate` of the repository's example sites, from a new process each time. */
export function examplesRow(repoRoot: string, runs: number, clean = false): Promise<E2eRow> {
  return measure(
    clean ? 'e2e-validate-examples-clean' : 'e2e-validate-examples',
    `example sites (3): \`osa-gitops validate\`, new process${clean ? ', no bundle cache (a clean checkout, as in CI)' : ''}`,
    runs,
    repoRoot,
    process.execPath,
    [join(repoRoot, 'packages/cli/bin/osa-gitops.cjs'), 'validate'],
    { expect: /site\(s\) valid/, ...(clean ? { env: { OSA_GITOPS_NO_BUNDLE_CACHE: '1' } } : {}) },
  );
}
