import { ipv4 } from '@osa-gitops/core';
import type { VerifyExpectations } from './expectations';
import type { ContainerFacts, LiveFacts, LiveListener } from './live-facts';
const { parseAddress, requireCidr } = ipv4;

export type CheckId =
  | 'container-running'
  | 'public-address'
  | 'default-route'
  | 'gateway-answers'
  | 'vip-held'
  | 'haproxy-listens';

/** In table order. */
export const CHECK_IDS: readonly CheckId[] = [
  'container-running',
  'public-address',
  'default-route',
  'gateway-answers',
  'vip-held',
  'haproxy-listens',
];

/**
 * `not-applicable`: the stage that would make the check true has not been applied (for example
 * the site's haproxy stage never ran), so its result says nothing yet. It is not a pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'not-applicable';

export interface VerifyCheck {
  readonly id: CheckId;
  /** A container, a host or a VIP. */
  readonly subject: string;
  readonly status: CheckStatus;
  readonly expected: string;
  readonly found: string;
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

/**
 * Judge a site's live facts against its definition. Pure: the facts were gathered elsewhere
 * (the verify playbook, or the tests' namespaces). Checks come out per haproxy host, then per
 * container, then per VIP, in `CHECK_IDS` order; an unreachable container fails
 * `container-running` and gets no further rows (there is nothing to read).
 */
export function judgeSite(want: VerifyExpectations, facts: LiveFacts, applied: AppliedStages): VerifyResult {
  const checks: VerifyCheck[] = [];
  const add = (id: CheckId, subject: string, status: CheckStatus, expected: string, found: string) =>
    checks.push({ id, subject, status, expected, found });
  const byHost = new Map<string, ContainerFacts[]>();
  for (const c of [...facts.containers].sort((a, b) => cmp(a.name, b.name))) {
    const host = c.physicalHost ?? '';
    byHost.set(host, [...(byHost.get(host) ?? []), c]);
  }

  const live: ContainerFacts[] = [];
  for (const host of want.haproxyHosts) {
    const expected = `a running haproxy container on ${host}`;
    if (!applied.containers) {
      add('container-running', host, 'not-applicable', expected, 'containers stage not applied');
      continue;
    }
    const mine = byHost.get(host) ?? [];
    const up = mine.filter((c) => c.reachable);
    if (up.length > 0) {
      add('container-running', host, 'pass', expected, up.map((c) => c.name).join(', '));
      live.push(...up);
    } else {
      add(
        'container-running',
        host,
        'fail',
        expected,
        mine.length === 0
          ? 'no haproxy container of this host in the inventory'
          : mine.map((c) => `${c.name}: ${c.problems.join('; ') || 'did not answer'}`).join(', '),
      );
    }
  }

  for (const c of live) {
    checks.push(publicAddress(want, c), defaultRoute(want, c), gatewayAnswers(want, c));
  }

  for (const [which, vip, iface] of [
    ['external', want.externalVip, want.externalVipInterface],
    ['internal', want.internalVip, want.internalVipInterface],
  ] as const) {
    const subject = `${which} VIP ${vip}`;
    const expected = `held by exactly one container, on ${iface}`;
    if (!applied.haproxy || !applied.containers) {
      add('vip-held', subject, 'not-applicable', expected, 'haproxy stage not applied');
      continue;
    }
    const holders = live.flatMap((c) =>
      c.interfaces.filter((i) => i.ipv4.some((a) => a.address === vip)).map((i) => `${c.name} (${i.name})`),
    );
    const right = live.filter((c) =>
      c.interfaces.some((i) => i.name === iface && i.ipv4.some((a) => a.address === vip)),
    );
    const status = holders.length === 1 && right.length === 1 ? 'pass' : 'fail';
    const unseen = facts.containers.filter((c) => !c.reachable).length;
    const found =
      holders.length === 0
        ? `held by no container${unseen > 0 ? ` (${unseen} did not answer)` : ''}`
        : `held by ${holders.join(', ')}`;
    add('vip-held', subject, status, expected, found);
  }

  for (const host of want.haproxyHosts) {
    if (!applied.haproxy || !applied.containers) {
      add('haproxy-listens', host, 'not-applicable', bindsText(want), 'haproxy stage not applied');
    }
  }
  if (applied.haproxy && applied.containers) for (const c of live) checks.push(...listens(want, c));

  const counts = { pass: 0, fail: 0, 'not-applicable': 0 };
  for (const c of checks) counts[c.status] += 1;
  return { site: want.site, ok: counts.fail === 0, counts, checks: sortChecks(checks) };
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
    : { id: 'public-address', subject: c.name, status: 'pass', expected, found: `${iface.name} ${shown}` };
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
  return { id: 'default-route', subject: c.name, status: ok ? 'pass' : 'fail', expected, found };
}

function gatewayAnswers(want: VerifyExpectations, c: ContainerFacts): VerifyCheck {
  const expected = `${want.publicGateway} answers ping from the container`;
  const p = c.ping;
  const ok = p !== undefined && p.target === want.publicGateway && p.answered;
  const found =
    p === undefined
      ? 'not checked'
      : `${p.target}: ${p.answered ? 'answered' : 'no answer'}${p.detail ? ` (${p.detail})` : ''}`;
  return { id: 'gateway-answers', subject: c.name, status: ok ? 'pass' : 'fail', expected, found };
}

function listens(want: VerifyExpectations, c: ContainerFacts): VerifyCheck[] {
  return (['external', 'internal'] as const).map((which) => {
    const iface = which === 'external' ? want.externalVipInterface : want.internalVipInterface;
    const vip = which === 'external' ? want.externalVip : want.internalVip;
    const match = (l: LiveListener) =>
      want.bind === 'interface'
        ? l.device === iface && isWildcard(l.address)
        : l.address === vip && !l.device;
    const expected =
      want.bind === 'interface'
        ? `a listener on * bound to ${iface} (${which})`
        : `a listener on ${vip} (${which})`;
    const ports = [...new Set(c.listeners.filter(match).map((l) => l.port))].sort((a, b) => a - b);
    return {
      id: 'haproxy-listens' as const,
      subject: c.name,
      status: ports.length > 0 ? ('pass' as const) : ('fail' as const),
      expected,
      found:
        ports.length > 0 ? `ports ${ports.join(', ')}` : `none (${c.listeners.length} other listener(s))`,
    };
  });
}

function bindsText(want: VerifyExpectations): string {
  return want.bind === 'interface'
    ? `listeners bound to ${want.externalVipInterface} and ${want.internalVipInterface}`
    : `listeners on ${want.externalVip} and ${want.internalVip}`;
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '*' || address === '[::]';
}

function sortChecks(checks: readonly VerifyCheck[]): VerifyCheck[] {
  return [...checks].sort(
    (a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id) || cmp(a.subject, b.subject),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
