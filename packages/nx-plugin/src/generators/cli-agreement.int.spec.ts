import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatIssueBlocks, type Issue } from '@osa-gitops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `nx g @osa-gitops/nx-plugin:render|import` and `osa-gitops render|import`, run for real on the
 * same broken input in a copy of this workspace: the same issues, at the same file:line:column,
 * in the same order, and the same outcome (the generator fails whenever the CLI exits non-zero;
 * import writes the same definition in both).
 */
const REPO = path.resolve(__dirname, '../../../..');
const NX_BIN = fs.realpathSync(path.join(REPO, 'node_modules/.bin/nx'));
const CLI_BIN = path.join(REPO, 'packages/cli/bin/osa-gitops.cjs');
const COPY = [
  'nx.json',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'environments',
  'packages',
];
const SKIP = new Set(['node_modules', '.nx', '.git', 'dist', 'coverage', 'openstack_deploy']);
/** A config dir whose import clashes with dc-east (the same VIPs and MACs): fleet errors. */
const DC_EAST_TREE = path.join(REPO, 'environments/dc-east/openstack_deploy');

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'osa-nx-cli-'));
  for (const entry of COPY) {
    const from = path.join(REPO, entry);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(root, entry), {
      recursive: true,
      filter: (src) => !SKIP.has(path.basename(src)),
    });
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
});
afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function run(bin: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_SKIP_NX_CACHE: 'true',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
const cli = (...args: string[]) => run(CLI_BIN, args);
const nx = (...args: string[]) => run(NX_BIN, ['g', ...args]);

/** The issue blocks a run printed (core's formatIssueBlocks: mark, site, code; where; message). */
function blocks(out: string): string[] {
  return [...out.matchAll(/^[✖⚠] (?:error|warning) \S+ \[[A-Z_]+\]\n {4}at .+\n {4}.+$/gm)].map((m) => m[0]);
}

/** The issues of a CLI `--json` run, as core's Issue (what the CLI's text printed them from). */
function jsonIssues(out: string): Issue[] {
  const json = JSON.parse(out) as {
    sites?: { issues: Record<string, unknown>[] }[];
    fleetIssues?: Record<string, unknown>[];
    issues?: Record<string, unknown>[];
  };
  const raw = [
    ...(json.sites ?? []).flatMap((s) => s.issues),
    ...(json.fleetIssues ?? []),
    ...(json.issues ?? []),
  ];
  return raw.map(
    (i) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== null)) as unknown as Issue,
  );
}

function breakSite(file: string, from: string, to: string): void {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(path.join(root, file), text.replace(from, to));
}

// Each run starts Node, the CLI or Nx (project graph, plugin): seconds each on a loaded machine.
describe('the Nx generators and the CLI on the same broken input', { timeout: 240_000 }, () => {
  it('render: the same issues at the same lines, both fail, nothing written', async () => {
    // dc-east takes dc-west's external VIP: a site error (outside its public network) and a
    // fleet error reported on both sites.
    breakSite(
      'environments/dc-east/environment.ts',
      "external: '198.51.100.70'",
      "external: '198.51.100.10'",
    );
    for (const site of [[], ['dc-east']]) {
      const text = await cli('render', ...site);
      const json = await cli('render', '--json', ...site);
      const gen = await nx('@osa-gitops/nx-plugin:render', ...site.map((s) => `--site=${s}`));
      expect(text.code).toBe(1);
      expect(json.code).toBe(1);
      expect(gen.code, gen.out).not.toBe(0);

      const printed = blocks(text.out);
      expect(printed.length).toBeGreaterThanOrEqual(2);
      expect(printed.join('\n')).toMatch(
        /at environments\/dc-east\/environment\.ts:\d+:\d+ → haproxy\.vips\.external/,
      );
      expect(blocks(gen.out)).toEqual(printed);
      expect(formatIssueBlocks(jsonIssues(json.out)).split(/\n(?=[✖⚠] )/)).toEqual(printed);
      expect(gen.out).not.toContain('Pass --verbose to see the stacktrace');
    }
    expect(fs.existsSync(path.join(root, 'environments/dc-east/openstack_deploy'))).toBe(false);
    breakSite(
      'environments/dc-east/environment.ts',
      "external: '198.51.100.10'",
      "external: '198.51.100.70'",
    );
  });

  it('import: the same findings of validation, the same file written, and both fail', async () => {
    const file = path.join(root, 'environments/dc-north/environment.ts');
    const json = await cli('import', DC_EAST_TREE, '--site', 'dc-north', '--json');
    expect(json.code).toBe(1);
    fs.rmSync(path.dirname(file), { recursive: true });
    const text = await cli('import', DC_EAST_TREE, '--site', 'dc-north');
    expect(text.code).toBe(1);
    const written = fs.readFileSync(file, 'utf8');
    fs.rmSync(path.dirname(file), { recursive: true });

    const gen = await nx('@osa-gitops/nx-plugin:import', `--configDir=${DC_EAST_TREE}`, '--site=dc-north');
    expect(gen.code, gen.out).not.toBe(0);
    expect(gen.out).toContain(
      'Wrote environments/dc-north/environment.ts, which has validation errors: fix them (above), then render.',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(written);

    const printed = blocks(text.out);
    expect(printed.join('\n')).toContain('[FLEET_VIP_DUPLICATE]');
    expect(printed.join('\n')).toMatch(/at environments\/dc-north\/environment\.ts:\d+:\d+ → /);
    expect(blocks(gen.out)).toEqual(printed);
    expect(formatIssueBlocks(jsonIssues(json.out)).split(/\n(?=[✖⚠] )/)).toEqual(printed);
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
