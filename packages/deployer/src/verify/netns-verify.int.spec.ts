import { validateEnvironmentOrThrow } from '@osa-gitops/rules';
import {
  containerFacts,
  judgeSite,
  verifyExpectations,
  type AppliedStages,
  type VerifyResult,
} from '@osa-gitops/render';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherContainer } from './gather-local';
import { buildLab, LAB, labDefinition, netnsUnavailable, type NetnsLab } from './test-fixtures/netns-lab';

/**
 * The judge on facts gathered from real network namespaces by the verify commands (the ones the
 * verify playbook runs inside each container), on a healthy lab and after each kind of breakage.
 * Needs root, iproute2, iputils-ping and python3 (`.ci/run` installs them); skips with the reason
 * otherwise, and fails instead under CI=true.
 */
const unavailable = netnsUnavailable();
if (unavailable) console.warn(`netns verify tests skipped: ${unavailable}`);

describe('the netns tests can run in CI', () => {
  it.runIf(process.env['CI'] === 'true')('has root, ip, ss, ping and namespaces', () => {
    expect(unavailable).toBeUndefined();
  });
});

const want = verifyExpectations(validateEnvironmentOrThrow(labDefinition()));
const all: AppliedStages = { containers: true, haproxy: true };

describe.skipIf(unavailable !== undefined)('verify against network namespaces', () => {
  let lab: NetnsLab;
  beforeAll(async () => {
    lab = await buildLab();
  }, 60_000);
  afterAll(() => lab?.destroy());

  async function verify(): Promise<VerifyResult> {
    const raw = await Promise.all(
      lab.containers.map((c) =>
        gatherContainer(lab.runner(c.ns), { name: c.name, physicalHost: c.host }, LAB.gateway),
      ),
    );
    return judgeSite(want, { site: 'guide-lab', containers: raw.map(containerFacts) }, all);
  }

  /** Break something, verify, and put it back whatever happens. */
  async function broken(breakIt: () => void, repair: () => void): Promise<VerifyResult> {
    breakIt();
    try {
      return await verify();
    } finally {
      repair();
    }
  }

  // The lab models the containers' networking (python listeners stand in for HAProxy, and no
  // keepalived runs): its failures are judged on those checks. The site twin (packages/twin)
  // runs the real daemons for the rest.
  const MODELLED = new Set([
    'container-running',
    'public-address',
    'default-route',
    'gateway-answers',
    'vip-held',
  ]);
  const failures = (r: VerifyResult) =>
    r.checks.filter((c) => c.status === 'fail' && MODELLED.has(c.id)).map((c) => [c.id, c.subject, c.found]);
  const [c1, c2, c3] = [0, 1, 2].map((i) => ({
    get ns() {
      return lab.containers[i]!.ns;
    },
    get name() {
      return lab.containers[i]!.name;
    },
  }));

  it('a healthy lab passes every check it models, from facts the commands read', async () => {
    const r = await verify();
    expect(failures(r)).toEqual([]);
    expect(r.checks.filter((c) => c.status === 'pass' && MODELLED.has(c.id))).toHaveLength(14);
    expect(r.checks.find((c) => c.id === 'vip-held')!.found).toBe(`held by ${c1!.name} (eth20)`);
    // The keepalived probe ran in each namespace and found no keepalived there.
    expect(r.checks.filter((c) => c.id === 'keepalived-running').map((c) => c.found)).toEqual(
      Array(3).fill('keepalived is not running'),
    );
    // The python listener on eth20:443 is seen; port 80 (base's redirect) is not there.
    expect(r.checks.find((c) => c.id === 'haproxy-listens' && c.port === 80)!.found).toBe(
      'nothing listens on port 80; listening: 443',
    );
  }, 60_000);

  it('a default route via eth0 next to the right one fails', async () => {
    const args = ['route', 'add', 'default', 'via', '10.0.3.1', 'dev', 'eth0', 'metric', '10'];
    const r = await broken(
      () => lab.ip(c2!.ns, args),
      () => lab.ip(c2!.ns, ['route', 'del', ...args.slice(2)]),
    );
    expect(failures(r)).toEqual([
      ['default-route', c2!.name, 'via 203.0.113.129 dev eth20; via 10.0.3.1 dev eth0 metric 10'],
    ]);
  }, 60_000);

  it('a default route via the wrong gateway fails', async () => {
    const r = await broken(
      () => lab.ip(c3!.ns, ['route', 'replace', 'default', 'via', '203.0.113.130', 'dev', 'eth20']),
      () => lab.ip(c3!.ns, ['route', 'replace', 'default', 'via', LAB.gateway, 'dev', 'eth20']),
    );
    expect(failures(r)).toEqual([['default-route', c3!.name, 'via 203.0.113.130 dev eth20']]);
  }, 60_000);

  it('the external VIP on two containers fails, naming both', async () => {
    const args = ['addr', 'add', `${LAB.externalVip}/32`, 'dev', 'eth20'];
    const r = await broken(
      () => lab.ip(c2!.ns, args),
      () => lab.ip(c2!.ns, ['addr', 'del', ...args.slice(2)]),
    );
    expect(failures(r)).toEqual([
      ['vip-held', `external VIP ${LAB.externalVip}`, `held by ${c1!.name} (eth20), ${c2!.name} (eth20)`],
    ]);
  }, 60_000);

  it('a missing internal VIP fails', async () => {
    const args = ['addr', 'del', `${LAB.internalVip}/32`, 'dev', 'eth1'];
    const r = await broken(
      () => lab.ip(c1!.ns, args),
      () => lab.ip(c1!.ns, ['addr', 'add', ...args.slice(2)]),
    );
    expect(failures(r)).toEqual([['vip-held', `internal VIP ${LAB.internalVip}`, 'held by no member']]);
  }, 60_000);

  it('an address outside the public network fails', async () => {
    const args = ['addr', 'add', '198.51.100.7/24', 'dev', 'eth20'];
    const r = await broken(
      () => lab.ip(c3!.ns, args),
      () => lab.ip(c3!.ns, ['addr', 'del', ...args.slice(2)]),
    );
    expect(failures(r)).toEqual([
      ['public-address', c3!.name, '198.51.100.7/24 is outside 203.0.113.128/28'],
    ]);
  }, 60_000);

  it('a container whose public link is down fails its address check and cannot reach the gateway', async () => {
    const r = await broken(
      () => lab.ip(c2!.ns, ['link', 'set', 'eth20', 'down']),
      () => {
        lab.ip(c2!.ns, ['link', 'set', 'eth20', 'up']);
        lab.ip(c2!.ns, ['route', 'replace', 'default', 'via', LAB.gateway, 'dev', 'eth20']);
      },
    );
    const ids = failures(r).map((f) => [f[0], f[1]]);
    expect(ids).toContainEqual(['public-address', c2!.name]);
    expect(ids).toContainEqual(['gateway-answers', c2!.name]);
    expect(ids).toContainEqual(['default-route', c2!.name]);
  }, 60_000);

  it('after every repair the lab is healthy again (the breakages were undone)', async () => {
    expect(failures(await verify())).toEqual([]);
  }, 60_000);
});
