import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploySite } from './deploy-site';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import {
  expectedSnapshot,
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  sha256,
  siteTree,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';
import {
  assertUnownedIntact,
  isRunning,
  journalExists,
  leftovers,
  ownedState,
} from './test-fixtures/owned-state';
import { bundleDeployEntry, spawnDeploy, waitUntil } from './test-fixtures/spawn-deploy';

/**
 * The deployer is a separate process here, SIGKILLed at every mutating filesystem call of a
 * deploy (and of a recovery), at named steps, and run twice at once. After each crash: every
 * owned file is wholly its old or its new version, unowned files are untouched, a mixed set only
 * ever exists together with a journal, and the next deploys recover to exactly the expected set.
 */

const v1 = siteTree(1);
const v2 = siteTree(2);
let bundle: string;
let osaDir: string;
let template: string;

beforeAll(async () => {
  bundle = await bundleDeployEntry();
  osaDir = makeOsaDir({ inventoryCheck: false });
  template = makeConfigDir();
  expect(await deploySite(stubDeployOptions(template, osaDir, v1, stubRecord()))).toBe(0);
}, 120_000);
afterAll(removeTempDirs);

/** A fresh copy of a config dir with v1 deployed (or of another dir). */
function copyOf(source = template): string {
  const dir = path.join(tempDir('crash'), 'openstack_deploy');
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}

function traceOf(file: string): string[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n');
}

/**
 * What must hold after a crash, and after the two deploys that follow it: one whose playbook
 * fails (so it restores the set it found after recovery) and one that succeeds.
 */
async function checkRecovery(configDir: string): Promise<'old' | 'new' | 'mixed'> {
  const state = ownedState(configDir, v1, v2); // throws on a torn file
  assertUnownedIntact(configDir);
  const hadJournal = journalExists(configDir);
  if (!hadJournal) expect(state).not.toBe('mixed');

  const failing = stubDeployOptions(configDir, osaDir, v2, stubRecord(), { stubRc: 2 });
  expect(await deploySite(failing)).toBe(2);
  // With a journal the crashed deploy is rolled back to v1; without one it had not started
  // changing files (v1) or had finished (v2).
  expect(ownedState(configDir, v1, v2)).toBe(hadJournal ? 'old' : state);
  if (hadJournal) expect(failing.log.text()).toContain('the previous deploy did not finish');

  expect(await deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).toBe(0);
  expect(snapshot(configDir)).toEqual(expectedSnapshot(v2));
  expect(leftovers(configDir)).toEqual([]);
  return state;
}

describe('crash recovery (deployer SIGKILLed)', () => {
  it('at every mutating fs call of a v1→v2 deploy, and mid-write of every temp file', async () => {
    const trace = path.join(tempDir('trace'), 'trace.txt');
    const clean = copyOf();
    const traced = await spawnDeploy(bundle, {
      configDir: clean,
      osaDir,
      tree: v2,
      record: stubRecord().record,
      testEnv: { OSA_GITOPS_TEST_TRACE: trace },
    }).done;
    expect(traced.code).toBe(0);
    const ops = traceOf(trace).filter((l) => l.startsWith('op '));
    expect(ops.length).toBeGreaterThan(25);

    const outcomes = { old: 0, new: 0, mixed: 0 };
    const points = [
      ...ops.map((_, i) => `op:${i + 1}`),
      ...ops.flatMap((l, i) => (l.split(' ')[2] === 'writeFileDurable' ? [`op:${i + 1}:torn`] : [])),
    ];
    for (const point of points) {
      const dir = copyOf();
      const run = await spawnDeploy(bundle, {
        configDir: dir,
        osaDir,
        tree: v2,
        record: stubRecord().record,
        testEnv: { OSA_GITOPS_TEST_KILL_AT: point },
      }).done;
      expect({ point, signal: run.signal }).toEqual({ point, signal: 'SIGKILL' });
      try {
        outcomes[await checkRecovery(dir)]++;
      } catch (err) {
        throw new Error(
          `after a kill at ${point} (${ops[Number(point.split(':')[1]) - 1]}): ${String(err)}`,
          {
            cause: err,
          },
        );
      }
    }
    // The matrix really crossed the sync: some crashes left a mixed set (journal present), some
    // left the old set, some the new one.
    expect(outcomes.mixed).toBeGreaterThan(3);
    expect(outcomes.old).toBeGreaterThan(3);
    expect(outcomes.new).toBeGreaterThan(0);
  }, 600_000);

  it('at every mutating fs call of the recovery itself', async () => {
    // A crash mid-sync: the third rename after the journal was written.
    const trace = path.join(tempDir('trace'), 'trace.txt');
    await spawnDeploy(bundle, {
      configDir: copyOf(),
      osaDir,
      tree: v2,
      record: stubRecord().record,
      testEnv: { OSA_GITOPS_TEST_TRACE: trace },
    }).done;
    const lines = traceOf(trace);
    const afterJournal = lines.slice(lines.indexOf('step journal-written'));
    const midSync = afterJournal.filter((l) => / rename /.test(l))[2]!.split(' ')[1];
    const crashed = copyOf();
    const first = await spawnDeploy(bundle, {
      configDir: crashed,
      osaDir,
      tree: v2,
      record: stubRecord().record,
      testEnv: { OSA_GITOPS_TEST_KILL_AT: `op:${midSync}` },
    }).done;
    expect(first.signal).toBe('SIGKILL');
    expect(ownedState(crashed, v1, v2)).toBe('mixed');

    const recoveryTrace = path.join(tempDir('trace'), 'recovery.txt');
    await spawnDeploy(bundle, {
      configDir: copyOf(crashed),
      osaDir,
      tree: v2,
      record: stubRecord().record,
      testEnv: { OSA_GITOPS_TEST_TRACE: recoveryTrace },
    }).done;
    const rl = traceOf(recoveryTrace);
    const recoveryOps = rl.slice(0, rl.indexOf('step recovered')).filter((l) => l.startsWith('op ')).length;
    expect(recoveryOps).toBeGreaterThan(5);

    for (let n = 1; n <= recoveryOps; n++) {
      const dir = copyOf(crashed);
      const run = await spawnDeploy(bundle, {
        configDir: dir,
        osaDir,
        tree: v2,
        record: stubRecord().record,
        testEnv: { OSA_GITOPS_TEST_KILL_AT: `op:${n}` },
      }).done;
      expect(run.signal).toBe('SIGKILL');
      expect(journalExists(dir)).toBe(true); // cleared only once the rollback is complete
      await checkRecovery(dir);
    }
  }, 600_000);

  it('while the playbook runs: the next deploy stops the orphaned playbook first, then rolls back', async () => {
    const dir = copyOf();
    const record = stubRecord();
    const crashed = await spawnDeploy(bundle, {
      configDir: dir,
      osaDir,
      tree: v2,
      record: record.record,
      waitFor: path.join(tempDir('never'), 'never-created'),
      testEnv: { OSA_GITOPS_TEST_KILL_AT: 'step:playbook-started' },
    }).done;
    expect(crashed.signal).toBe('SIGKILL');
    await waitUntil(() => record.lines().length === 1, 'the orphaned playbook to start');
    const orphan = Number(record.lines()[0]!.split(' ')[1]);
    expect(isRunning(orphan)).toBe(true);

    const next = stubDeployOptions(dir, osaDir, v2, record);
    expect(await deploySite(next)).toBe(0);

    expect(isRunning(orphan)).toBe(false);
    const text = next.log.text();
    expect(text).toMatch(/its playbook \(process group \d+\) is still running: stopping it/);
    expect(text).toMatch(
      /rolled back to the files before that deploy: 5 restored from \.osa-gitops\/backups\/\S+, 2 it had created removed/,
    );
    // The orphan never finished; the new run started after it was stopped.
    expect(record.lines().map((l) => l.split(' ')[0])).toEqual(['start', 'start', 'end']);
    expect(snapshot(dir)).toEqual(expectedSnapshot(v2));
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  it('while the playbook runs, after it changed the inventory: the next deploy keeps the files it wrote', async () => {
    const dir = copyOf();
    const record = stubRecord();
    const grown = '{"_meta": {"hostvars": {}}, "haproxy": {"hosts": ["infra1-haproxy-container-1a2b3c4d"]}}';
    const inventory = path.join(dir, 'openstack_inventory.json');
    const crashed = await spawnDeploy(bundle, {
      configDir: dir,
      osaDir,
      tree: v2,
      record: record.record,
      waitFor: path.join(tempDir('never'), 'never-created'),
      stubEnv: { OSA_STUB_INVENTORY: grown },
      testEnv: { OSA_GITOPS_TEST_KILL_AT: 'step:playbook-started' },
    }).done;
    expect(crashed.signal).toBe('SIGKILL');
    await waitUntil(
      () => fs.readFileSync(inventory, 'utf8') === `${grown}\n`,
      'the orphan to change the inventory',
    );

    const next = stubDeployOptions(dir, osaDir, v2, record);
    expect(await deploySite(next)).toBe(0);

    const text = next.log.text();
    expect(text).toMatch(/its playbook \(process group \d+\) is still running: stopping it/);
    expect(text).toMatch(
      /its playbook had changed openstack_inventory\.json, so the files it wrote are KEPT .* osa-gitops deploy lab --config-dir \S+ --restore \S+/,
    );
    expect(text).not.toContain('rolled back');
    expect(text).toContain('synced 0 written, 0 removed'); // v2 was already in place
    expect(snapshot(dir)).toEqual(expectedSnapshot(v2, { 'openstack_inventory.json': `${grown}\n` }));
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);
});

describe('concurrent deploys (two processes, one config dir)', () => {
  it('never overlap: the second waits for the lock, then runs', async () => {
    const dir = copyOf();
    const record = stubRecord();
    const release = path.join(tempDir('release'), 'release');
    const a = spawnDeploy(bundle, {
      configDir: dir,
      osaDir,
      tree: v2,
      record: record.record,
      waitFor: release,
    });
    await waitUntil(() => record.lines().length === 1, 'the first playbook to start');
    const b = spawnDeploy(bundle, { configDir: dir, osaDir, tree: v1, record: record.record });
    await waitUntil(() => b.output().includes('waiting for the deploy lock'), 'the second deploy to wait');
    expect(b.output()).toContain(`held by pid ${a.pid} on ${os.hostname()}, site lab`);
    expect(record.lines()).toHaveLength(1); // still only the first

    fs.writeFileSync(release, '');
    const [ra, rb] = await Promise.all([a.done, b.done]);

    expect([ra.code, rb.code]).toEqual([0, 0]);
    const lines = record.lines().map((l) => l.split(' '));
    expect(lines.map((l) => l[0])).toEqual(['start', 'end', 'start', 'end']);
    expect(lines[0]![1]).toBe(lines[1]![1]);
    expect(lines[2]![1]).toBe(lines[3]![1]);
    // Each playbook saw its own deploy's complete tree.
    expect(lines[0]![2]).toBe(sha256(v2.get('user_variables_haproxy_lxc.yml')!));
    expect(lines[2]![2]).toBe(sha256(v1.get('user_variables_haproxy_lxc.yml')!));
    expect(snapshot(dir)).toEqual(expectedSnapshot(v1));
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  it('the second gives up after --lock-timeout, naming the holder, and changes nothing', async () => {
    const dir = copyOf();
    const record = stubRecord();
    const release = path.join(tempDir('release'), 'release');
    const a = spawnDeploy(bundle, {
      configDir: dir,
      osaDir,
      tree: v2,
      record: record.record,
      waitFor: release,
    });
    await waitUntil(() => record.lines().length === 1, 'the first playbook to start');
    const b = await spawnDeploy(bundle, {
      configDir: dir,
      osaDir,
      tree: v1,
      record: record.record,
      lockTimeoutMs: 300,
    }).done;

    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(
      new RegExp(
        `another deploy holds \\S+deploy\\.lock \\(pid ${a.pid} on ${os.hostname()}, site lab, since \\S+\\); gave up`,
      ),
    );
    expect(record.lines()).toHaveLength(1);
    fs.writeFileSync(release, '');
    expect((await a.done).code).toBe(0);
    expect(snapshot(dir)).toEqual(expectedSnapshot(v2));
  }, 120_000);
});
