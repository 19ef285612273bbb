import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * What `keepalived.unicast` protects, with real keepalived daemons in network namespaces (docs/
 * SECURITY.md, "VRRP on the public VLAN"). Two haproxy containers (a MASTER, b BACKUP) and a
 * stranger (c) on one L2 segment; c runs keepalived with the same router id and a higher priority,
 * as any host on the public VLAN can.
 * - multicast (OSA's default): c's adverts take the VIP from a;
 * - unicast with peers `min_ttl 255 max_ttl 255` (what osa-gitops renders): a and b drop adverts
 *   whose source is not a peer, even sent straight to them, so a keeps the VIP.
 * The stanzas are the ones keepalived.conf.j2 writes for our overrides (keepalived-unicast.int.spec
 * checks that part); what this does not protect against (a stranger spoofing a peer's address,
 * or answering ARP for the VIP without VRRP at all) is documented, not tested.
 */

const TIMEOUT_MS = 15_000;
const VIP = '10.99.0.100';

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root (ip netns needs root)';
  for (const tool of ['ip', 'keepalived']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', timeout: TIMEOUT_MS });
    if (r.status !== 0) return `${tool} is not installed (iproute2, keepalived)`;
  }
  const probe = `okp${randomBytes(3).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: TIMEOUT_MS });
  if (add.status !== 0) return `cannot create a network namespace: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe], { timeout: TIMEOUT_MS });
  return undefined;
}
const SKIP = unavailable();
if (SKIP !== undefined && process.env.CI === 'true' && process.getuid?.() === 0) {
  // A root CI machine without keepalived must not skip silently: .ci/run installs it.
  throw new Error(`keepalived-unicast-daemons: ${SKIP}`);
}

function ip(args: readonly string[]): void {
  const r = spawnSync('ip', [...args], { encoding: 'utf8', timeout: TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

interface Lab {
  readonly ns: Record<'a' | 'b' | 'c' | 'sw', string>;
  readonly dir: string;
  readonly daemons: ChildProcess[];
}

const labs: Lab[] = [];
afterEach(() => {
  for (const lab of labs.splice(0)) {
    for (const d of lab.daemons) d.kill('SIGKILL');
    for (const ns of Object.values(lab.ns)) spawnSync('ip', ['netns', 'del', ns], { timeout: TIMEOUT_MS });
    rmSync(lab.dir, { recursive: true, force: true });
  }
});

function makeLab(): Lab {
  const id = randomBytes(3).toString('hex');
  const ns = { a: `oka${id}`, b: `okb${id}`, c: `okc${id}`, sw: `oks${id}` };
  const lab: Lab = { ns, dir: mkdtempSync(join(tmpdir(), 'keepalived-lab-')), daemons: [] };
  labs.push(lab);
  for (const n of Object.values(ns)) ip(['netns', 'add', n]);
  ip(['-n', ns.sw, 'link', 'add', 'br0', 'type', 'bridge']);
  ip(['-n', ns.sw, 'link', 'set', 'br0', 'up']);
  (['a', 'b', 'c'] as const).forEach((who, i) => {
    ip(['link', 'add', `ok${who}${id}`, 'type', 'veth', 'peer', 'name', `okp${who}${id}`]);
    ip(['link', 'set', `ok${who}${id}`, 'netns', ns[who]]);
    ip(['-n', ns[who], 'link', 'set', `ok${who}${id}`, 'name', 'eth20']);
    ip(['-n', ns[who], 'addr', 'add', `10.99.0.${i + 1}/24`, 'dev', 'eth20']);
    ip(['-n', ns[who], 'link', 'set', 'eth20', 'up']);
    ip(['-n', ns[who], 'link', 'set', 'lo', 'up']);
    ip(['link', 'set', `okp${who}${id}`, 'netns', ns.sw]);
    ip(['-n', ns.sw, 'link', 'set', `okp${who}${id}`, 'master', 'br0']);
    ip(['-n', ns.sw, 'link', 'set', `okp${who}${id}`, 'up']);
  });
  return lab;
}

/** A vrrp_instance as keepalived.conf.j2 writes OSA's external instance, with our unicast stanza. */
function conf(opts: {
  state: string;
  priority: number;
  src?: string;
  peers?: readonly string[];
  /** Off only to show why osa-gitops renders it. @default true */
  ttlCheck?: boolean;
}): string {
  const check = opts.ttlCheck === false ? '' : ' min_ttl 255 max_ttl 255';
  const unicast =
    opts.src === undefined
      ? ''
      : `  unicast_src_ip ${opts.src}\n  unicast_peer {\n${(opts.peers ?? []).map((p) => `    ${p}${check}\n`).join('')}  }\n`;
  return `global_defs {\n  vrrp_version 3\n}\nvrrp_instance external {\n  interface eth20\n  state ${opts.state}\n  virtual_router_id 10\n  priority ${opts.priority}\n  advert_int 1\n${unicast}  virtual_ipaddress {\n    ${VIP}/32 dev eth20\n  }\n}\n`;
}

function start(lab: Lab, who: 'a' | 'b' | 'c', text: string): void {
  const file = join(lab.dir, `${who}.conf`);
  writeFileSync(file, text);
  const log = openSync(join(lab.dir, `${who}.log`), 'a');
  const d = spawn(
    'ip',
    [
      'netns',
      'exec',
      lab.ns[who],
      'keepalived',
      '--dont-fork',
      '--vrrp',
      '--log-console',
      '--use-file',
      file,
      '--pid',
      join(lab.dir, `${who}.pid`),
      '--vrrp_pid',
      join(lab.dir, `${who}.vrrp.pid`),
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  lab.daemons.push(d);
}

/** Who holds the VIP, and the daemons' last lines: the message of a failed expectation. */
function state(lab: Lab): string {
  const tail = (who: string): string => {
    const f = join(lab.dir, `${who}.log`);
    return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').slice(-6).join('\n  ') : '(no log)';
  };
  return (['a', 'b', 'c'] as const)
    .map((w) => `${w}: ${holdsVip(lab, w) ? 'holds the VIP' : 'no VIP'}\n  ${tail(w)}`)
    .join('\n');
}

function holdsVip(lab: Lab, who: 'a' | 'b' | 'c'): boolean {
  const r = spawnSync('ip', ['-n', lab.ns[who], '-4', 'addr', 'show', 'dev', 'eth20'], { encoding: 'utf8' });
  return r.stdout.includes(`${VIP}/32`);
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(SKIP !== undefined)(
  `keepalived.unicast against a stranger on the VLAN, with real daemons${SKIP === undefined ? '' : ` [SKIPPED: ${SKIP}]`}`,
  { timeout: 240_000 },
  () => {
    it('multicast (OSA’s default): a stranger with the same router id and a higher priority takes the VIP', async () => {
      const lab = makeLab();
      start(lab, 'a', conf({ state: 'MASTER', priority: 150 }));
      start(lab, 'b', conf({ state: 'BACKUP', priority: 100 }));
      expect(await waitFor(() => holdsVip(lab, 'a'), 45_000), state(lab)).toBe(true);
      start(lab, 'c', conf({ state: 'MASTER', priority: 254 }));
      expect(await waitFor(() => holdsVip(lab, 'c') && !holdsVip(lab, 'a'), 45_000), state(lab)).toBe(true);
    });

    it('unicast with checked peers: the stranger’s adverts, even sent straight to them, are dropped; a keeps the VIP', async () => {
      const lab = makeLab();
      start(lab, 'a', conf({ state: 'MASTER', priority: 150, src: '10.99.0.1', peers: ['10.99.0.2'] }));
      start(lab, 'b', conf({ state: 'BACKUP', priority: 100, src: '10.99.0.2', peers: ['10.99.0.1'] }));
      expect(await waitFor(() => holdsVip(lab, 'a'), 45_000), state(lab)).toBe(true);
      start(
        lab,
        'c',
        conf({ state: 'MASTER', priority: 254, src: '10.99.0.3', peers: ['10.99.0.1', '10.99.0.2'] }),
      );
      // c holds the VIP itself (nobody it listens to is better), but a and b ignore it.
      expect(await waitFor(() => holdsVip(lab, 'c'), 45_000), state(lab)).toBe(true);
      await sleep(6_000); // several advert intervals: long enough for a takeover to show
      expect(holdsVip(lab, 'a'), state(lab)).toBe(true);
      expect(holdsVip(lab, 'b'), state(lab)).toBe(false);
      // And the pair still fails over between themselves: a stops, b takes the VIP.
      lab.daemons[0]!.kill('SIGKILL');
      expect(await waitFor(() => holdsVip(lab, 'b'), 45_000), state(lab)).toBe(true);
    });

    it('plain unicast without the source check is not enough: the stranger’s adverts sent to the peers take the VIP', async () => {
      const lab = makeLab();
      const plain = { ttlCheck: false };
      start(
        lab,
        'a',
        conf({ state: 'MASTER', priority: 150, src: '10.99.0.1', peers: ['10.99.0.2'], ...plain }),
      );
      start(
        lab,
        'b',
        conf({ state: 'BACKUP', priority: 100, src: '10.99.0.2', peers: ['10.99.0.1'], ...plain }),
      );
      expect(await waitFor(() => holdsVip(lab, 'a'), 45_000), state(lab)).toBe(true);
      start(
        lab,
        'c',
        conf({ state: 'MASTER', priority: 254, src: '10.99.0.3', peers: ['10.99.0.1', '10.99.0.2'] }),
      );
      expect(await waitFor(() => holdsVip(lab, 'c') && !holdsVip(lab, 'a'), 45_000), state(lab)).toBe(true);
    });
  },
);
