import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  STUB_OSA_BIN,
  tempDir,
} from '@osa-gitops/deployer/testing';
import { createWorkspace, type Workspace } from '../test-utils/workspace-fixture';

/**
 * The staged deploy end to end through the shipped bin (`node packages/cli/bin/osa-gitops.cjs
 * deploy …`, its cached build), with a stand-in `openstack-ansible` that records the argv of each
 * run: the stages in OSA's order, the move off metal HAProxy (approved, and done by hand), resume
 * after exit 91 with the same directories, and a failure in each stage (what is kept, what the
 * next deploy runs).
 */

const BIN = path.join(__dirname, '..', '..', 'bin', 'osa-gitops.cjs');
const CUTOVER_PLAYBOOK = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'deployer',
  'playbooks',
  'osa-gitops-metal-cutover.yml',
);

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await ws.writeSite({ name: 'dc-a', index: 1 });
  expect((await runBin(['render'], {})).code).toBe(0);
  await ws.commit('dc-a');
}, 120_000);
afterAll(async () => {
  await ws?.[Symbol.asyncDispose]();
  removeTempDirs();
});

function runBin(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ws.root,
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

const HAPROXY_CONTAINERS = [
  'dc-a-infra1-haproxy-container-1a2b3c4d',
  'dc-a-infra2-haproxy-container-5e6f7a8b',
];

/**
 * OSA's inventory on a site whose HAProxy runs on metal, after the containers were allocated:
 * the metal hosts stay in `haproxy` beside the containers (docs/osa-facts.md#brownfield); galera
 * and rabbitmq run in containers, keystone on a host of a conf.d file this tool does not render.
 */
function inventory(metal: boolean): string {
  const hostvars: Record<string, unknown> = {};
  for (const h of ['dc-a-infra1', 'dc-a-infra2'])
    hostvars[h] = { physical_host: h, properties: { is_metal: true } };
  for (const c of HAPROXY_CONTAINERS)
    hostvars[c] = { physical_host: c.slice(0, 11), properties: { is_metal: false } };
  return JSON.stringify({
    _meta: { hostvars },
    haproxy: { hosts: [...(metal ? ['dc-a-infra1', 'dc-a-infra2'] : []), ...HAPROXY_CONTAINERS] },
    galera_all: { children: ['galera'] },
    galera: { hosts: ['dc-a-infra1-galera-container-11111111'] },
    rabbitmq_all: { children: ['rabbitmq'] },
    rabbitmq: { hosts: ['dc-a-infra1-rabbit-mq-container-22222222'] },
    keystone_all: { children: ['keystone'] },
    keystone: { hosts: ['ctl1-keystone-container-33333333'] },
  });
}

/** The printed `osa-gitops deploy …` line that ends with `flag`, as argv for the bin. */
function printed(log: string, flag: string): string[] {
  const line = log.split('\n').find(
    (l) =>
      l.includes('osa-gitops deploy ') &&
      l
        .replace(/\)\s*$/, '')
        .trimEnd()
        .endsWith(flag),
  );
  expect(line, `a printed command ending with ${flag}`).toBeDefined();
  const words = line!.slice(line!.indexOf('osa-gitops deploy ')).replace(/[()]/g, '').trim().split(/\s+/);
  return words.slice(1); // without `osa-gitops`: the bin is the command
}

/** The wrapper arguments a dry run says each stage would run with, unquoted, in order. */
function wouldRun(out: string): string[] {
  return [...out.matchAll(/would run stage \d+\/\d+ [a-z-]+: (\S+) (.*?)(?: {2}\(|$)/gm)]
    .filter((m) => m[1] === STUB_OSA_BIN)
    .map((m) => m[2]!.replace(/ \(needs its own approval.*$/, '').replace(/'/g, ''));
}

interface Host {
  readonly configDir: string;
  /** The environment of every run on this host (the stand-in's records). */
  readonly env: Record<string, string>;
  readonly osaDir: string;
  readonly argsLog: string;
  /** `deploy dc-a` with this host's directories and the stand-in wrapper, plus `extra`. */
  deploy(extra: string[], env?: Record<string, string>): ReturnType<typeof runBin>;
  /** The runs of the wrapper so far, one line of arguments each. */
  ran(): string[];
  pending(): string[];
}

function metalHost(): Host {
  const configDir = makeConfigDir({ 'openstack_inventory.json': inventory(true) });
  const osaDir = makeOsaDir({ inventoryCheck: false });
  const argsLog = path.join(tempDir('args'), 'args.txt');
  const record = path.join(tempDir('record'), 'runs.txt');
  const hostEnv = {
    OSA_STUB_RECORD: record,
    OSA_STUB_ARGS: argsLog,
    // The cut-over's run takes the metal hosts out of the inventory, as inventory-manage.py -r does.
    OSA_STUB_INVENTORY: inventory(false),
    OSA_STUB_INVENTORY_ON: 'osa-gitops-metal-cutover.yml',
  };
  return {
    configDir,
    osaDir,
    argsLog,
    env: hostEnv,
    deploy: (extra, env = {}) =>
      runBin(
        [
          'deploy',
          'dc-a',
          '--config-dir',
          configDir,
          '--osa-dir',
          osaDir,
          '--osa-bin',
          STUB_OSA_BIN,
          ...extra,
        ],
        { ...hostEnv, ...env },
      ),
    ran: () => (fs.existsSync(argsLog) ? fs.readFileSync(argsLog, 'utf8').trim().split('\n') : []),
    pending: () => {
      const file = path.join(configDir, '.osa-gitops/stages.json');
      if (!fs.existsSync(file)) return [];
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { pending: { name: string }[] }).pending.map(
        (p) => p.name,
      );
    },
  };
}

const HOST_NETWORKING =
  'playbooks/openstack-hosts-setup.yml --limit dc-a-infra1,dc-a-infra2 --tags openstack_hosts-systemd';
const CONTAINERS = 'playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts';
/** While the metal hosts serve the VIPs, the container stages leave them out. */
const HAPROXY =
  'playbooks/haproxy-install.yml --limit haproxy:!dc-a-infra1:!dc-a-infra2 --skip-tags keepalived';
const FRONTENDS =
  'playbooks/galera-install.yml playbooks/rabbitmq-install.yml playbooks/os-keystone-install.yml ' +
  '--limit all:!dc-a-infra1:!dc-a-infra2 --tags haproxy-service-config';
const TRUSTED = 'playbooks/galera-install.yml --tags galera_server-config';
const KEEPALIVED = 'playbooks/haproxy-install.yml --tags keepalived';
const VERIFY = /osa-gitops-verify\.yml -e /;
const cutoverRun = (osaDir: string) =>
  `${fs.realpathSync(CUTOVER_PLAYBOOK)} -e {"osa_gitops_metal_hosts":["dc-a-infra1","dc-a-infra2"],"osa_gitops_osa_dir":"${osaDir}"}`;

describe(
  'osa-gitops deploy through the shipped bin: stages in OSA order, the metal cut-over',
  { timeout: 180_000 },
  () => {
    it('follows its own printed commands: 91 before host networking, 91 before the cut-over, then the rest', async () => {
      const host = metalHost();
      const env = host.env;
      // Without approvals: nothing runs, the files are synced, the command to go on is printed.
      const first = await host.deploy([]);
      expect(first.code, first.err).toBe(91);
      expect(host.ran()).toEqual([]);
      const resume = `osa-gitops deploy dc-a --config-dir ${host.configDir} --osa-dir ${host.osaDir} --osa-bin ${STUB_OSA_BIN}`;
      expect(first.err).toContain(`${resume} --host-networking done`);

      // The dry run of the printed "approved" command says exactly what that command then runs.
      const approveHostNetworking = printed(first.err, '--host-networking approved');
      const dry = await runBin([...approveHostNetworking, '--dry-run'], env);
      expect(dry.code, dry.err).toBe(0);
      // The preflight says this is a metal HAProxy site and what the cut-over will do.
      expect(dry.err).toContain(
        'still lists metal haproxy hosts in the haproxy group (dc-a-infra1, dc-a-infra2)',
      );
      expect(dry.err).toContain('the VIPs are down until the keepalived stage');
      expect(dry.out).toContain('would stop before stage 6/8 metal-cutover and exit 91');
      expect(dry.out).toContain('not run by this deploy: metal-cutover, keepalived, verify');

      const second = await runBin(approveHostNetworking, env);
      expect(second.code, second.err).toBe(91);
      expect(host.ran()).toEqual([HOST_NETWORKING, CONTAINERS, HAPROXY, FRONTENDS, TRUSTED]);
      expect(host.ran()).toEqual(wouldRun(dry.out));
      expect(host.pending()).toEqual(['metal-cutover', 'keepalived']);
      // What a person does instead, and how to resume: the same directories and wrapper.
      expect(second.err).toContain('systemctl disable --now keepalived && systemctl disable --now haproxy');
      expect(second.err).toContain(
        `cd ${host.osaDir} && scripts/inventory-manage.py -f ${host.configDir}/openstack_inventory.json -r dc-a-infra1 -r dc-a-infra2`,
      );
      expect(second.err).toContain(`${resume} --metal-cutover done`);
      expect(second.err).toContain('it runs keepalived, verify');

      // The printed "approved" command: the cut-over, keepalived, verify (the stand-in gathers
      // nothing, so verify fails: 90); its dry run said so, command for command.
      const approveCutover = printed(second.err, '--metal-cutover approved');
      const dry2 = await runBin([...approveCutover, '--dry-run'], env);
      fs.rmSync(host.argsLog);
      const third = await runBin(approveCutover, env);
      expect(third.code, third.err).toBe(90);
      const lines = host.ran();
      expect(lines.slice(0, 3)).toEqual([CONTAINERS, cutoverRun(host.osaDir), KEEPALIVED]);
      expect(lines.slice(0, 3)).toEqual(wouldRun(dry2.out));
      expect(lines[3]).toMatch(VERIFY);
      expect(host.pending()).toEqual([]);
      expect(fs.readFileSync(path.join(host.configDir, 'openstack_inventory.json'), 'utf8')).toBe(
        `${inventory(false)}\n`,
      );

      // Nothing metal is left: the next deploy plans no cut-over and no limit.
      const again = await host.deploy(['--dry-run']);
      expect(again.out).not.toContain('metal-cutover');
      expect(again.err).not.toContain('still lists metal haproxy hosts');
    });

    it('from memory (OSA_GITOPS_NO_CACHE=1) too: the same stages, and the cut-over runs the shipped, tracked playbook', async () => {
      const host = metalHost();
      const dry = await host.deploy(
        ['--dry-run', '--host-networking', 'approved', '--metal-cutover', 'approved'],
        {
          OSA_GITOPS_NO_CACHE: '1',
        },
      );
      expect(dry.code, dry.err).toBe(0);
      expect(dry.out).toContain(
        `would run stage 6/8 metal-cutover: ${STUB_OSA_BIN} ${fs.realpathSync(CUTOVER_PLAYBOOK)} -e '{"osa_gitops_metal_hosts":["dc-a-infra1","dc-a-infra2"],"osa_gitops_osa_dir":"${host.osaDir}"}' (needs its own approval: the deploy stops before it unless run on the deploy host with --metal-cutover approved, or done by hand and resumed with --metal-cutover done)`,
      );
      expect(dry.out).toContain(`would run stage 7/8 keepalived: ${STUB_OSA_BIN} ${KEEPALIVED}`);
      expect(dry.out).toContain('would run stage 8/8 verify: osa-gitops verify dc-a');
      const tracked = await new Promise<string>((resolve, reject) =>
        execFile('git', ['ls-files', '--error-unmatch', CUTOVER_PLAYBOOK], { cwd: __dirname }, (err, out) =>
          err ? reject(err) : resolve(out),
        ),
      );
      expect(tracked.trim()).toMatch(/osa-gitops-metal-cutover\.yml$/);
    });

    it('a cut-over done by hand: --metal-cutover done skips it, keepalived and verify run', async () => {
      const host = metalHost();
      expect((await host.deploy(['--host-networking', 'approved'])).code).toBe(91);
      // The person's inventory-manage.py -r:
      fs.writeFileSync(path.join(host.configDir, 'openstack_inventory.json'), inventory(false));
      fs.rmSync(host.argsLog);
      const done = await host.deploy(['--metal-cutover', 'done']);
      expect(done.code, done.err).toBe(90);
      expect(host.ran().slice(0, 2)).toEqual([CONTAINERS, KEEPALIVED]);
      expect(host.ran()[2]).toMatch(VERIFY);
      expect(host.ran().some((l) => l.includes('metal-cutover'))).toBe(false);
    });

    // Each stage failing in turn (exit 2 from the stand-in in that stage only), on a fresh host,
    // with both approvals given. Before the cut-over the inventory is unchanged: the previous files
    // are restored and the next deploy plans from them (every stage of a new site). From the
    // cut-over on it changed: the files stay, and the failed stage is pending for the next deploy.
    const cases: { stage: string; match: string; ranBefore: number; kept: boolean }[] = [
      { stage: 'host-networking', match: 'openstack-hosts-setup', ranBefore: 0, kept: false },
      { stage: 'containers', match: 'lxc-containers-create', ranBefore: 1, kept: false },
      { stage: 'haproxy', match: '--skip-tags keepalived', ranBefore: 2, kept: false },
      { stage: 'frontends', match: 'haproxy-service-config', ranBefore: 3, kept: false },
      { stage: 'trusted-proxies', match: 'galera_server-config', ranBefore: 4, kept: false },
      { stage: 'metal-cutover', match: 'osa-gitops-metal-cutover', ranBefore: 5, kept: true },
      { stage: 'keepalived', match: '--tags keepalived', ranBefore: 6, kept: true },
    ];
    for (const c of cases) {
      it(`a failure in ${c.stage}: ${c.kept ? 'the files stay and it is pending' : 'the files are restored'}, and the next deploy goes on`, async () => {
        const host = metalHost();
        const approvals = ['--host-networking', 'approved', '--metal-cutover', 'approved'];
        const failed = await host.deploy(approvals, { OSA_STUB_FAIL_ON: c.match, OSA_STUB_RC: '2' });
        expect(failed.code, failed.err).toBe(2);
        const ran = host.ran();
        expect(ran).toHaveLength(c.ranBefore + 1);
        expect(ran[c.ranBefore]).toContain(c.match);
        expect(failed.err).toContain(`stage ${c.stage} exited with code 2`);
        const manifest = path.join(host.configDir, 'osa-gitops-manifest.json');
        if (c.kept) {
          expect(failed.err).toContain('the new files were kept because it changed openstack_inventory.json');
          expect(fs.existsSync(manifest)).toBe(true);
          expect(host.pending()[0]).toBe(c.stage);
        } else {
          expect(failed.err).toContain('the previous owned files were restored');
          expect(fs.existsSync(manifest)).toBe(false);
        }

        // The next deploy, nothing failing: what it runs first.
        fs.rmSync(host.argsLog);
        const next = await host.deploy(approvals);
        expect(next.code, next.err).toBe(90);
        const after = host.ran();
        if (c.kept) {
          // The pending stages run after the containers stage; the cut-over is over (the inventory
          // has no metal host left), so only what remains pending of keepalived runs again.
          expect(after[0]).toBe(CONTAINERS);
          expect(after).toContain(KEEPALIVED);
          expect(after.some((l) => l.includes('openstack-hosts-setup'))).toBe(false);
        } else {
          expect(after.slice(0, 5)).toEqual([HOST_NETWORKING, CONTAINERS, HAPROXY, FRONTENDS, TRUSTED]);
          expect(after[5]).toBe(cutoverRun(host.osaDir));
        }
        expect(host.pending()).toEqual([]);
      });
    }
  },
);
