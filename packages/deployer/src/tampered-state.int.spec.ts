import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { deploySite, restoreSite } from './deploy-site';
import { nodeDeployFs } from './deploy-fs';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import { interceptFs } from './test-fixtures/faulty-fs';
import { makeConfigDir, makeOsaDir, removeTempDirs, siteTree, snapshot } from './test-fixtures/fixture';

/**
 * Issue 16, items 2 and 3: tampered deploy state and a swapped directory. Each attack runs a real
 * deploy against a real config dir; afterwards nothing outside the config dir was written or
 * deleted, and the operator's files inside it are unchanged.
 */

const v1 = siteTree(1);
const v2 = siteTree(2);
let osaDir: string;

beforeEach(() => {
  osaDir ??= makeOsaDir({ inventoryCheck: false });
});
afterAll(removeTempDirs);

/** A config dir with v1 deployed, a victim folder next to it, and both snapshots. */
async function deployed(): Promise<{ configDir: string; outside: string }> {
  const configDir = makeConfigDir();
  expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
  const outside = path.join(path.dirname(configDir), 'outside');
  fs.mkdirSync(path.join(outside, 'host_vars'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'victim'), 'victim\n');
  fs.writeFileSync(path.join(outside, 'user_variables_haproxy_lxc.yml'), 'chosen: by the attacker\n');
  return { configDir, outside };
}

const deadOwner = { pid: 2_000_000_000, host: os.hostname() };

function journal(over: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    phase: 'syncing',
    site: 'lab',
    commit: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    owner: deadOwner,
    backupDir: null,
    ops: [],
    manifest: 'unchanged',
    createdDirs: [],
    restoreOnFailure: true,
    ...over,
  });
}

function writeJournalFile(configDir: string, text: string): void {
  fs.writeFileSync(path.join(configDir, '.osa-gitops', 'journal.json'), text);
}

describe('a tampered journal is refused before anything changes', () => {
  const CASES: [string, Record<string, unknown>, RegExp][] = [
    [
      'an op outside the config dir (../victim)',
      { ops: [{ path: '../outside/victim', op: 'write', backedUp: false }] },
      /ops\.0\.path: not a path osa-gitops renders/,
    ],
    [
      "an op on the operator's user_variables.yml",
      { ops: [{ path: 'user_variables.yml', op: 'write', backedUp: false }] },
      /ops\.0\.path/,
    ],
    ['a conf.d file', { ops: [{ path: 'conf.d/x.yml', op: 'write', backedUp: false }] }, /ops\.0\.path/],
    [
      'a backupDir outside the backups (chosen content over a target)',
      {
        backupDir: '../outside',
        ops: [{ path: 'user_variables_haproxy_lxc.yml', op: 'write', backedUp: true }],
      },
      /backupDir: not a backup dir/,
    ],
    [
      'a backupDir that climbs out of the backups',
      { backupDir: '.osa-gitops/backups/../../../outside', ops: [] },
      /backupDir/,
    ],
    ['a created dir it never makes', { createdDirs: ['conf.d'] }, /createdDirs\.0/],
    ['an unknown key', { extra: true }, /unrecognized|extra/i],
  ];

  it.each(CASES)('%s', async (_what, over, why) => {
    const { configDir, outside } = await deployed();
    writeJournalFile(configDir, journal(over));
    const before = { config: snapshot(configDir), outside: snapshot(outside) };
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord());
    await expect(deploySite(opts)).rejects.toThrow(why);
    await expect(deploySite(opts)).rejects.toThrow(/deploy journal .* is unreadable/);
    expect(snapshot(configDir)).toEqual(before.config);
    expect(snapshot(outside)).toEqual(before.outside);
  });

  it('a well-formed journal still recovers (the schema accepts what deploys write)', async () => {
    const { configDir } = await deployed();
    writeJournalFile(
      configDir,
      journal({ ops: [{ path: 'host_vars/infra3.yml', op: 'write', backedUp: false }], createdDirs: [] }),
    );
    fs.writeFileSync(path.join(configDir, 'host_vars', 'infra3.yml'), 'half a deploy\n');
    const opts = stubDeployOptions(configDir, osaDir, v1, stubRecord());
    expect(await deploySite(opts)).toBe(0);
    expect(opts.log.text()).toContain('rolled back');
    expect(fs.existsSync(path.join(configDir, 'host_vars', 'infra3.yml'))).toBe(false);
  });
});

describe('a tampered manifest in the config dir', () => {
  it.each([['user_variables.yml'], ['conf.d/x.yml'], ['user_secrets.yml']])(
    'listing %s is refused: the operator file is never removed as an orphan',
    async (file) => {
      const { configDir } = await deployed();
      const manifestFile = path.join(configDir, 'osa-gitops-manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: string[] };
      manifest.files = [...manifest.files, file].sort();
      fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      const before = snapshot(configDir);
      const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord());
      await expect(deploySite(opts)).rejects.toThrow(/not a valid osa-gitops manifest|never renders/);
      expect(snapshot(configDir)).toEqual(before);
    },
  );
});

describe('a tampered undo record (deploy --restore)', () => {
  it('refuses ops outside the config dir and a backupDir that is not its own', async () => {
    const { configDir, outside } = await deployed();
    const id = '2026-01-01T00-00-00.000Z';
    const dir = path.join(configDir, '.osa-gitops', 'backups', id);
    fs.mkdirSync(dir, { recursive: true });
    const manifest = fs.readFileSync(path.join(configDir, 'osa-gitops-manifest.json'));
    const sha = (await import('node:crypto')).createHash('sha256').update(manifest).digest('hex');
    const record = (j: string) =>
      JSON.stringify({ version: 1, site: 'lab', manifestSha256: sha, journal: JSON.parse(j) });
    const before = { config: snapshot(configDir), outside: snapshot(outside) };
    for (const [over, why] of [
      [
        {
          backupDir: `.osa-gitops/backups/${id}`,
          ops: [{ path: '../outside/victim', op: 'write', backedUp: false }],
        },
        /ops\.0\.path/,
      ],
      [{ backupDir: '.osa-gitops/backups/2025-01-01T00-00-00.000Z', ops: [] }, /not this backup/],
    ] as const) {
      fs.writeFileSync(path.join(dir, '.osa-gitops-undo.json'), record(journal(over)));
      const opts = stubDeployOptions(configDir, osaDir, v1, stubRecord());
      await expect(restoreSite({ ...opts, backupId: id })).rejects.toThrow(why);
      expect(snapshot(outside)).toEqual(before.outside);
    }
    expect(snapshot(configDir)).toEqual(before.config);
  });
});

describe('directories swapped or open to others', () => {
  it('a host_vars/ swapped for a link after the plan is refused before the first write through it', async () => {
    const { configDir, outside } = await deployed();
    const before = snapshot(outside);
    let swapped = false;
    const fsWithSwap = interceptFs(nodeDeployFs, (call) => {
      // Right after the journal is durable, before the sync writes: the race of issue 16, item 3.
      if (!swapped && call.op === 'rename' && call.path.endsWith(path.join('.osa-gitops', 'journal.json'))) {
        swapped = true;
        fs.renameSync(path.join(configDir, 'host_vars'), path.join(configDir, '.host_vars.moved'));
        fs.symlinkSync(path.join(outside, 'host_vars'), path.join(configDir, 'host_vars'));
      }
    });
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord(), { fs: fsWithSwap });
    await expect(deploySite(opts)).rejects.toThrow(/host_vars is a symbolic link/);
    expect(swapped).toBe(true);
    expect(snapshot(outside)).toEqual(before);
    expect(fs.readdirSync(path.join(outside, 'host_vars'))).toEqual([]);
  });

  it('refuses a group- or world-writable config dir, and a state dir owned by someone else', async () => {
    const { configDir } = await deployed();
    const before = snapshot(configDir);
    fs.chmodSync(configDir, 0o777);
    await expect(deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).rejects.toThrow(
      /config dir .* is group- or world-writable \(mode 0777\)/,
    );
    fs.chmodSync(configDir, 0o755);
    if (process.getuid?.() === 0) {
      fs.chownSync(path.join(configDir, '.osa-gitops'), 12345, 12345);
      await expect(deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).rejects.toThrow(
        /\.osa-gitops is owned by uid 12345, not by the deploying user \(uid 0\)/,
      );
    }
    expect(snapshot(configDir)).toEqual(before);
  });
});
