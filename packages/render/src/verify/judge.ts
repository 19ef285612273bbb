import { ipv4 } from '@osa-gitops/core';
import type { VerifyExpectations } from './expectations';
import type { ContainerFacts, LiveFacts, LiveListener, ServingProbe } from './live-facts';
import { expectedFrontends, type ExpectedFrontend } from './osa-frontends';
const { parseAddress, requireCidr } = ipv4;

export type CheckId =
  | 'container-running'
  | 'public-address'
  | 'default-route'
  | 'gateway-answers'
  | 'keepalived-running'
  | 'track-scripts'
  | 'vrrp-state'
  | 'vip-held'
  | 'haproxy-listens'
  | 'frontend-serves'
  | 'tls-certificate';

/** In table order. */
export const CHECK_IDS: readonly CheckId[] = [
  'container-running',
  'public-address',
  'default-route',
  'gateway-answers',
  'keepalived-running',
  'track-scripts',
  'vrrp-state',
  'vip-held',
  'haproxy-listens',
  'frontend-serves',
  'tls-certificate',
];

/**
 * `not-applicable`: the stage that would make the check true has not been applied (for example
 * the site's haproxy stage never ran), so its result says nothing yet. It is not a pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'not-applicable';

export interface VerifyCheck {
  readonly id: CheckId;
  /** A container, a host, a VRRP instance or a VIP (with its port). */
  readonly subject: string;
  readonly status: CheckStatus;
  readonly expected: string;
  readonly found: string;
  /** The haproxy container(s) (or metal host) the finding is about, when there is one. */
  readonly instance?: string;
  /** The VIP the finding is about. */
  readonly vip?: string;
  /** The frontend port the finding is about. */
  readonly port?: number;
}

/** Which stages are live for the deployed commit (the deployer records them on the host). */
export interface AppliedStages {
  /** The haproxy containers were created with this tree. */
  readonly containers: boolean;
  /** haproxy-install ran with this tree: HAProxy binds and keepalived VIPs are live. */
  readonly haproxy: boolean;
}

export interface VerifyResult {
  readonly site: string;
  /** True when no check failed (not-applicable checks do not fail, and do not pass either). */
  readonly ok: boolean;
  readonly counts: Readonly<Record<CheckStatus, number>>;
  readonly checks: readonly VerifyCheck[];
}

/** Up: the veth peer is attached. LXC veths inside a container report UP once both ends are. */
const LIVE_OPERSTATES = new Set(['UP', 'UNKNOWN']);

type Which = 'external' | 'internal';

/**
 * Judge a site's live facts against its definition. Pure: the facts were gathered elsewhere
 * (the verify playbook and the deploy host's probes, or the tests' namespaces). Checks, in
 * `CHECK_IDS` order: each haproxy host runs its container, and each container's public address,
 * default route and gateway; keepalived runs in each container with its track scripts healthy,
 * and each VRRP instance has exactly one MASTER among every member of the `haproxy` group (metal
 * ones too), the other containers BACKUP; each VIP is held by exactly one member; every container
 * listens on every frontend port OSA configures for the site's services (from the groups that
 * have hosts: osa-frontends.ts), on both VIPs' binds; from the deploy host, a TCP connection to
 * each of those frontends on each VIP succeeds, and each TLS bind presents a certificate whose
 * SANs carry the VIP (and `externalName` on the external one). A failed check names the
 * container, the VIP and the port it is about.
 */
export function judgeSite(want: VerifyExpectations, facts: LiveFacts, applied: AppliedStages): VerifyResult {
  const checks: VerifyCheck[] = [];
  const add = (c: VerifyCheck) => checks.push(c);
  const sorted = [...facts.containers].sort((a, b) => cmp(a.name, b.name));
  const metal = sorted.filter((c) => c.metal);
  const byHost = new Map<string, ContainerFacts[]>();
  for (const c of sorted.filter((x) => !x.metal)) {
    const host = c.physicalHost ?? '';
    byHost.set(host, [...(byHost.get(host) ?? []), c]);
  }

  const live: ContainerFacts[] = [];
  for (const host of want.haproxyHosts) {
    const expected = `a running haproxy container on ${host}`;
    if (!applied.containers) {
      add({
        id: 'container-running',
        subject: host,
        status: 'not-applicable',
        expected,
        found: 'containers stage not applied',
      });
      continue;
    }
    const mine = byHost.get(host) ?? [];
    const up = mine.filter((c) => c.reachable);
    if (up.length > 0) {
      add({
        id: 'container-running',
        subject: host,
        status: 'pass',
        expected,
        found: up.map((c) => c.name).join(', '),
      });
      live.push(...up);
    } else {
      add({
        id: 'container-running',
        subject: host,
        status: 'fail',
        expected,
        found:
          mine.length === 0
            ? 'no haproxy container of this host in the inventory'
            : mine.map((c) => `${c.name}: ${c.problems.join('; ') || 'did not answer'}`).join(', '),
        ...(mine.length > 0 ? { instance: mine.map((c) => c.name).join(', ') } : {}),
      });
    }
  }

  for (const c of live) checks.push(publicAddress(want, c), defaultRoute(want, c), gatewayAnswers(want, c));

  const haproxyLive = applied.haproxy && applied.containers;
  const frontends = expectedFrontends(new Set(facts.groupsWithHosts ?? []));
  const vipOf = (w: Which) => (w === 'external' ? want.externalVip : want.internalVip);
  const ifaceOf = (w: Which) => (w === 'external' ? want.externalVipInterface : want.internalVipInterface);
  if (!haproxyLive) {
    const na = (id: CheckId, subject: string, expected: string) =>
      add({ id, subject, status: 'not-applicable', expected, found: 'haproxy stage not applied' });
    for (const host of want.haproxyHosts) {
      na('keepalived-running', host, 'keepalived running in the container');
      na('haproxy-listens', host, bindsText(want));
    }
    for (const v of want.vrrp) na('vrrp-state', `VRRP instance ${v.name}`, 'exactly one MASTER');
    for (const w of ['external', 'internal'] as const) {
      na('vip-held', `${w} VIP ${vipOf(w)}`, `held by exactly one container, on ${ifaceOf(w)}`);
      na('frontend-serves', `${w} VIP ${vipOf(w)}`, 'every frontend answers a TCP connection');
    }
    return result(want.site, checks);
  }

  // keepalived in each container, its track scripts, and each VRRP instance across the group.
  for (const c of live) checks.push(...keepalivedRows(c));
  const members = [...live, ...metal.filter((m) => m.reachable)];
  for (const v of want.vrrp)
    checks.push(
      vrrpRow(
        v,
        live,
        members.filter((m) => m.metal),
      ),
    );

  // VIPs: counted on every member of the haproxy group, metal ones too.
  const holdersOf = new Map<Which, string[]>();
  for (const which of ['external', 'internal'] as const) {
    const vip = vipOf(which);
    const iface = ifaceOf(which);
    const subject = `${which} VIP ${vip}`;
    const expected = `held by exactly one member of the haproxy group: a container, on ${iface}`;
    const holders = members.flatMap((c) =>
      c.interfaces
        .filter((i) => i.ipv4.some((a) => a.address === vip))
        .map((i) => ({ c, iface: i.name, text: `${c.name}${c.metal ? ' (metal)' : ''} (${i.name})` })),
    );
    holdersOf.set(
      which,
      holders.map((h) => h.c.name),
    );
    const unseen = sorted.filter((c) => !c.reachable).map((c) => c.name);
    const ok =
      holders.length === 1 && !holders[0]!.c.metal && holders[0]!.iface === iface && unseen.length === 0;
    const found =
      (holders.length === 0 ? 'held by no member' : `held by ${holders.map((h) => h.text).join(', ')}`) +
      (unseen.length > 0 ? `; ${unseen.join(', ')} did not answer (not counted)` : '');
    add({
      id: 'vip-held',
      subject,
      status: ok ? 'pass' : 'fail',
      expected,
      found,
      vip,
      ...(holders.length > 0 ? { instance: holders.map((h) => h.c.name).join(', ') } : {}),
    });
  }

  // Every container listens on every frontend port, on each VIP's bind.
  for (const c of live) {
    for (const which of ['external', 'internal'] as const) checks.push(...listens(want, c, which, frontends));
  }

  // From the deploy host: each frontend on each VIP answers, and TLS binds show the right SANs.
  for (const f of frontends) {
    const vip = vipOf(f.vip);
    const holders = holdersOf.get(f.vip) ?? [];
    const instance = holders.length > 0 ? { instance: holders.join(', ') } : {};
    const probe = facts.serving?.find((p) => p.vip === vip && p.port === f.port);
    const subject = `${f.vip} VIP ${vip}:${f.port}`;
    const expected = `a TCP connection from the deploy host succeeds (${f.service}${f.tls ? ', TLS' : ''})`;
    const where = { vip, port: f.port, ...instance };
    if (probe === undefined) {
      add({ id: 'frontend-serves', subject, status: 'fail', expected, found: 'not probed', ...where });
      continue;
    }
    add({
      id: 'frontend-serves',
      subject,
      status: probe.connected ? 'pass' : 'fail',
      expected,
      found: probe.connected
        ? `connected${holders.length === 1 ? ` (to ${holders[0]})` : ''}`
        : `${probe.error ?? 'no connection'}${holders.length > 0 ? ` (held by ${holders.join(', ')})` : ''}`,
      ...where,
    });
    if (f.tls && probe.connected) add(tlsRow(want, f, probe, subject, where));
  }

  return result(want.site, checks);
}

function result(site: string, checks: VerifyCheck[]): VerifyResult {
  const counts = { pass: 0, fail: 0, 'not-applicable': 0 };
  for (const c of checks) counts[c.status] += 1;
  return { site, ok: counts.fail === 0, counts, checks: sortChecks(checks) };
}

function keepalivedRows(c: ContainerFacts): VerifyCheck[] {
  const k = c.keepalived;
  const expected = 'keepalived running in the container, its state readable';
  const row = (status: CheckStatus, found: string): VerifyCheck => ({
    id: 'keepalived-running',
    subject: c.name,
    status,
    expected,
    found,
    instance: c.name,
  });
  if (k === undefined) return [row('fail', 'not gathered')];
  if (k.pids.length === 0) return [row('fail', k.problem ?? 'keepalived is not running')];
  if (k.pids.length > 1)
    return [row('fail', `${k.pids.length} keepalived processes (pids ${k.pids.join(', ')})`)];
  if (k.problem !== undefined || k.instances.length === 0)
    return [row('fail', `pid ${k.pids[0]}: ${k.problem ?? 'no VRRP instance'}`)];
  const out = [row('pass', `pid ${k.pids[0]}: ${k.instances.map((i) => `${i.name} ${i.state}`).join(', ')}`)];
  const tracked = [...new Set(k.instances.flatMap((i) => i.trackedScripts))].sort();
  const status = new Map(k.scripts.map((s) => [s.name, s.status]));
  const bad = tracked.filter((s) => status.get(s) !== 'GOOD');
  out.push({
    id: 'track-scripts',
    subject: c.name,
    status: bad.length === 0 ? 'pass' : 'fail',
    expected: 'every script a VRRP instance tracks reports GOOD',
    found:
      tracked.length === 0
        ? 'no tracked script'
        : tracked.map((s) => `${s} ${status.get(s) || 'unknown'}`).join(', '),
    instance: c.name,
  });
  return out;
}

function vrrpRow(
  v: VerifyExpectations['vrrp'][number],
  containers: readonly ContainerFacts[],
  metal: readonly ContainerFacts[],
): VerifyCheck {
  const subject = `VRRP instance ${v.name} (router id ${v.vrid})`;
  const expected = `exactly one MASTER in the haproxy group (metal members too), every other container BACKUP, on ${v.interface}`;
  const byState = new Map<string, string[]>();
  const problems: string[] = [];
  const note = (state: string, who: string) => byState.set(state, [...(byState.get(state) ?? []), who]);
  for (const c of containers) {
    const inst = c.keepalived?.instances.find((i) => i.name === v.name);
    if (!c.keepalived || c.keepalived.pids.length === 0) note('not running', c.name);
    else if (!inst) note('no such instance', c.name);
    else {
      note(inst.state || 'unknown', c.name);
      if (inst.vrid !== undefined && inst.vrid !== v.vrid)
        problems.push(`${c.name} uses router id ${inst.vrid}`);
      if (inst.interface !== undefined && inst.interface !== v.interface)
        problems.push(`${c.name} runs it on ${inst.interface}`);
    }
  }
  for (const m of metal) {
    const inst = m.keepalived?.instances.find((i) => i.name === v.name);
    if (inst) note(inst.state || 'unknown', `${m.name} (metal)`);
  }
  const masters = byState.get('MASTER') ?? [];
  const others = [...byState.keys()].filter((s) => s !== 'MASTER' && s !== 'BACKUP');
  const ok =
    masters.length === 1 && others.length === 0 && problems.length === 0 && !masters[0]!.endsWith('(metal)');
  const order = ['MASTER', 'BACKUP', ...others.sort()];
  const found = [
    ...order.filter((s) => byState.has(s)).map((s) => `${s}: ${byState.get(s)!.join(', ')}`),
    ...problems,
  ].join('; ');
  const named = ok ? masters : [...masters, ...others.flatMap((s) => byState.get(s)!)];
  return {
    id: 'vrrp-state',
    subject,
    status: ok ? 'pass' : 'fail',
    expected,
    found: found || 'no member runs it',
    vip: v.vip,
    ...(named.length > 0 ? { instance: named.map((n) => n.replace(/ \(metal\)$/, '')).join(', ') } : {}),
  };
}

function tlsRow(
  want: VerifyExpectations,
  f: ExpectedFrontend,
  probe: ServingProbe,
  subject: string,
  where: Pick<VerifyCheck, 'vip' | 'port' | 'instance'>,
): VerifyCheck {
  const vip = where.vip!;
  const names = f.vip === 'external' && want.externalName !== undefined ? [want.externalName] : [];
  const expected = `a TLS handshake presents a certificate whose SANs carry ${[vip, ...names].join(' and ')}`;
  if (!probe.tls)
    return {
      id: 'tls-certificate',
      subject,
      status: 'fail',
      expected,
      found: probe.error ?? 'no TLS handshake',
      ...where,
    };
  const missing = [
    ...(probe.tls.ip.includes(vip) ? [] : [`IP ${vip}`]),
    ...names.filter((n) => !probe.tls!.dns.includes(n)).map((n) => `DNS ${n}`),
  ];
  const sans = `SANs: ${[...probe.tls.dns.map((d) => `DNS ${d}`), ...probe.tls.ip.map((i) => `IP ${i}`)].join(', ') || 'none'}`;
  return {
    id: 'tls-certificate',
    subject,
    status: missing.length === 0 ? 'pass' : 'fail',
    expected,
    found: missing.length === 0 ? sans : `missing ${missing.join(', ')} (${sans})`,
    ...where,
  };
}

function publicAddress(want: VerifyExpectations, c: ContainerFacts): VerifyCheck {
  const expected = `${want.publicInterface} up, with an address in ${want.publicCidr} that is not reserved`;
  const iface = c.interfaces.find((i) => i.name === want.publicInterface);
  const fail = (found: string): VerifyCheck => ({
    id: 'public-address',
    subject: c.name,
    status: 'fail',
    expected,
    found,
    instance: c.name,
  });
  if (c.problems.length > 0 && c.interfaces.length === 0) return fail(c.problems.join('; '));
  if (!iface) return fail(`no interface ${want.publicInterface}`);
  if (!LIVE_OPERSTATES.has(iface.operstate)) return fail(`${iface.name} is ${iface.operstate}`);
  const net = requireCidr(want.publicCidr);
  const prefix = Number(want.publicCidr.split('/')[1]);
  // keepalived adds the VIPs as /32 next to the container's own address: not the container's.
  const own = iface.ipv4.filter((a) => a.address !== want.externalVip && a.address !== want.internalVip);
  if (own.length === 0) return fail(`${iface.name} has no address of its own`);
  const problems: string[] = [];
  for (const a of own) {
    const n = parseAddress(a.address);
    if (n === undefined || n < net.first || n > net.last)
      problems.push(`${a.address}/${a.prefixlen} is outside ${want.publicCidr}`);
    else if (n === net.first || n === net.last)
      problems.push(`${a.address} is the network or broadcast address`);
    else if (want.publicReserved.some((r) => r.first <= n && n <= r.last))
      problems.push(`${a.address} is reserved (used_ips)`);
    else if (a.prefixlen !== prefix)
      problems.push(`${a.address}/${a.prefixlen} has the wrong prefix (want /${prefix})`);
  }
  const shown = own.map((a) => `${a.address}/${a.prefixlen}`).join(', ');
  return problems.length > 0
    ? fail(problems.join('; '))
    : {
        id: 'public-address',
        subject: c.name,
        status: 'pass',
        expected,
        found: `${iface.name} ${shown}`,
        instance: c.name,
      };
}

function defaultRoute(want: VerifyExpectations, c: ContainerFacts): VerifyCheck {
  const expected = `one default route, via ${want.publicGateway} on ${want.publicInterface}; none via ${want.lxcDefaultInterface}`;
  const defaults = c.routes.filter((r) => r.dst === 'default');
  const show = (r: (typeof defaults)[number]) =>
    `via ${r.gateway ?? '(none)'} dev ${r.dev ?? '(none)'}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`;
  const found = defaults.length === 0 ? 'no default route' : defaults.map(show).join('; ');
  const ok =
    defaults.length === 1 &&
    defaults[0]!.gateway === want.publicGateway &&
    defaults[0]!.dev === want.publicInterface;
  return {
    id: 'default-route',
    subject: c.name,
    status: ok ? 'pass' : 'fail',
    expected,
    found,
    instance: c.name,
  };
}

function gatewayAnswers(want: VerifyExpectations, c: ContainerFacts): VerifyCheck {
  const expected = `${want.publicGateway} answers ping from the container`;
  const p = c.ping;
  const ok = p !== undefined && p.target === want.publicGateway && p.answered;
  const found =
    p === undefined
      ? 'not checked'
      : `${p.target}: ${p.answered ? 'answered' : 'no answer'}${p.detail ? ` (${p.detail})` : ''}`;
  return {
    id: 'gateway-answers',
    subject: c.name,
    status: ok ? 'pass' : 'fail',
    expected,
    found,
    instance: c.name,
  };
}

/**
 * The container's listeners on one VIP's bind: a pass row with the ports, or one failed row per
 * frontend port that nothing listens on.
 */
function listens(
  want: VerifyExpectations,
  c: ContainerFacts,
  which: Which,
  frontends: readonly ExpectedFrontend[],
): VerifyCheck[] {
  const iface = which === 'external' ? want.externalVipInterface : want.internalVipInterface;
  const vip = which === 'external' ? want.externalVip : want.internalVip;
  const match = (l: LiveListener) =>
    want.bind === 'interface' ? l.device === iface && isWildcard(l.address) : l.address === vip && !l.device;
  const bind = want.bind === 'interface' ? `* bound to ${iface}` : vip;
  const ports = new Set(c.listeners.filter(match).map((l) => l.port));
  const shown = [...ports].sort((a, b) => a - b).join(', ') || 'none';
  const wanted = frontends.filter((f) => f.vip === which);
  const missing = wanted.filter((f) => !ports.has(f.port));
  if (missing.length === 0)
    return [
      {
        id: 'haproxy-listens',
        subject: c.name,
        status: 'pass',
        expected: `HAProxy listening on ${bind} (${which}) on every frontend port`,
        found: `ports ${shown}`,
        instance: c.name,
        vip,
      },
    ];
  return missing.map((f) => ({
    id: 'haproxy-listens' as const,
    subject: c.name,
    status: 'fail' as const,
    expected: `HAProxy listening on ${bind}:${f.port} (${which}, ${f.service})`,
    found: `nothing listens on port ${f.port}; listening: ${shown}`,
    instance: c.name,
    vip,
    port: f.port,
  }));
}

function bindsText(want: VerifyExpectations): string {
  return want.bind === 'interface'
    ? `listeners bound to ${want.externalVipInterface} and ${want.internalVipInterface}`
    : `listeners on ${want.externalVip} and ${want.internalVip}`;
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '*' || address === '[::]';
}

/** By check, subject (a VIP's frontends by port), then as pushed (external before internal). */
function sortChecks(checks: readonly VerifyCheck[]): VerifyCheck[] {
  return [...checks].sort(
    (a, b) =>
      CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id) ||
      cmp(a.subject.replace(/:\d+$/, ''), b.subject.replace(/:\d+$/, '')) ||
      (a.port ?? 0) - (b.port ?? 0),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
