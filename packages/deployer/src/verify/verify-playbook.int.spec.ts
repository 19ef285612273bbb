import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateEnvironmentOrThrow } from '@osa-gitops/rules';
import { KEEPALIVED_STATE_PY, VERIFY_COMMANDS, type VerifyResult } from '@osa-gitops/render';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleEnv, makeOsaDir, memoryLog, removeTempDirs, tempDir } from '../test-fixtures/fixture';
import {
  buildLab,
  LAB,
  labDefinition,
  labInventory,
  verifyPlaybookUnavailable,
  type NetnsLab,
} from './test-fixtures/netns-lab';
import { verifyPlaybook } from './verify-playbook';
import { verifySite } from './verify-site';

/**
 * The shipped verify playbook, run by the real ansible-playbook through a stand-in of OSA's
 * wrapper, against "containers" that are network namespaces: each inventory host's modules run
 * inside its namespace (`ansible_python_interpreter: ip netns exec <ns> /usr/bin/python3`), the
 * way OSA's connection plugin runs them inside a container. Skips like the netns tests.
 */
const unavailable = verifyPlaybookUnavailable();
if (unavailable) console.warn(`verify playbook tests skipped: ${unavailable}`);

afterAll(removeTempDirs);

describe('the verify playbook', () => {
  it('runs exactly the commands the local gatherer runs (VERIFY_COMMANDS)', () => {
    const plays = parse(fs.readFileSync(verifyPlaybook(), 'utf8')) as {
      hosts: string;
      tasks: { 'ansible.builtin.command'?: { argv: string[] } }[];
    }[];
    const gather = plays.find((p) => p.hosts.includes('haproxy'))!;
    const argvs = gather.tasks.flatMap((t) =>
      t['ansible.builtin.command'] ? [t['ansible.builtin.command'].argv] : [],
    );
    expect(argvs).toEqual([
      [...VERIFY_COMMANDS.addr],
      [...VERIFY_COMMANDS.route],
      [...VERIFY_COMMANDS.listen],
      [...VERIFY_COMMANDS.ping, '{{ osa_gitops_verify_gateway }}'],
      // The script is an extra var (verify-site.ts passes KEEPALIVED_STATE_PY): no YAML quoting.
      ['python3', '-c', '{{ osa_gitops_keepalived_state_py }}'],
    ]);
    expect(VERIFY_COMMANDS.keepalived).toEqual(['python3', '-c', KEEPALIVED_STATE_PY]);
    expect(fs.readFileSync(path.join(__dirname, 'verify-site.ts'), 'utf8')).toContain(
      'osa_gitops_keepalived_state_py: KEEPALIVED_STATE_PY',
    );
  });
});

describe.skipIf(unavailable !== undefined)(
  'verify through openstack-ansible and ansible-playbook, against namespaces',
  () => {
    let lab: NetnsLab;
    const environment = validateEnvironmentOrThrow(labDefinition());
    beforeAll(async () => {
      lab = await buildLab();
    }, 60_000);
    afterAll(() => lab?.destroy());

    async function verify(nsOf: (i: number) => string = (i) => lab.containers[i]!.ns): Promise<VerifyResult> {
      const osaDir = makeOsaDir({ hosts: labInventory(lab, nsOf) });
      const log = memoryLog();
      return verifySite({
        environment,
        configDir: tempDir('config'),
        osaDir,
        osaBin: path.join(osaDir, 'openstack-ansible'),
        env: ansibleEnv(),
        timeoutMs: 120_000,
        log,
        applied: { containers: true, haproxy: true },
        probe: (targets) => lab.probe(targets),
      });
    }
    // What the lab models (no keepalived, python listeners): see netns-verify.int.spec.ts.
    const MODELLED = new Set([
      'container-running',
      'public-address',
      'default-route',
      'gateway-answers',
      'vip-held',
    ]);
    const failures = (r: VerifyResult) =>
      r.checks
        .filter((c) => c.status === 'fail' && MODELLED.has(c.id))
        .map((c) => [c.id, c.subject, c.found]);

    it('a healthy lab passes every check it models; the groups and keepalived probe come back', async () => {
      const r = await verify();
      expect(failures(r)).toEqual([]);
      expect(r.checks.filter((c) => c.status === 'pass' && MODELLED.has(c.id))).toHaveLength(14);
      expect(r.checks.filter((c) => c.id === 'keepalived-running').map((c) => c.found)).toEqual(
        Array(3).fill('keepalived is not running'),
      );
      // From this host the lab's VIPs answer on 443 (the python listener on eth20); nothing on 80.
      const serves = r.checks.filter((c) => c.id === 'frontend-serves' && c.vip === LAB.externalVip);
      expect(serves.map((c) => [c.port, c.status])).toEqual([
        [80, 'fail'],
        [443, 'pass'],
      ]);
    }, 180_000);

    it('finds the external VIP on two containers', async () => {
      const c1 = lab.containers[0]!;
      const c2 = lab.containers[1]!;
      lab.ip(c2.ns, ['addr', 'add', `${LAB.externalVip}/32`, 'dev', 'eth20']);
      try {
        expect(failures(await verify())).toEqual([
          ['vip-held', `external VIP ${LAB.externalVip}`, `held by ${c1.name} (eth20), ${c2.name} (eth20)`],
        ]);
      } finally {
        lab.ip(c2.ns, ['addr', 'del', `${LAB.externalVip}/32`, 'dev', 'eth20']);
      }
    }, 180_000);

    it('a container that does not answer fails container-running for its host', async () => {
      const r = await verify((i) => (i === 2 ? `${lab.containers[2]!.ns}gone` : lab.containers[i]!.ns));
      const f = failures(r);
      expect(f.map((x) => [x[0], x[1]])).toEqual([
        ['container-running', 'infra3'],
        ['vip-held', `external VIP ${LAB.externalVip}`],
        ['vip-held', `internal VIP ${LAB.internalVip}`],
      ]);
      expect(f[0]![2]).toContain(lab.containers[2]!.name);
      expect(f[1]![2]).toContain(`${lab.containers[2]!.name} did not answer (not counted)`);
    }, 180_000);
  },
);
