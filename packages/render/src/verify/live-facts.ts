/**
 * What verify reads from a live site, and the parsers for the read-only commands that produce it.
 * The same commands run in the project's verify playbook (inside each haproxy container, through
 * OSA's inventory) and locally in the tests (inside network namespaces): `VERIFY_COMMANDS`.
 * Parsers never throw: output they cannot read becomes a `problem` the judge reports as a failure.
 */

/**
 * The commands run inside each haproxy container, by key. `ping` gets the gateway appended.
 * `ip -j` is iproute2's JSON output; `ss -Hltn` lists listening TCP sockets without a header.
 */
export const VERIFY_COMMANDS = {
  addr: ['ip', '-j', 'addr', 'show'],
  route: ['ip', '-j', '-4', 'route', 'show', 'table', 'main'],
  listen: ['ss', '-Hltn'],
  ping: ['ping', '-c', '3', '-W', '2', '-q'],
} as const;

export interface LiveAddress {
  /** `inet` (IPv4) only; the judge reads nothing else. */
  readonly address: string;
  readonly prefixlen: number;
}

export interface LiveInterface {
  readonly name: string;
  /** iproute2's operstate: `UP`, `DOWN`, `UNKNOWN`, `LOWERLAYERDOWN`, … */
  readonly operstate: string;
  readonly ipv4: readonly LiveAddress[];
}

export interface LiveRoute {
  /** `default` or a CIDR. */
  readonly dst: string;
  readonly gateway?: string;
  readonly dev?: string;
  readonly metric?: number;
}

export interface LiveListener {
  /** The local address as ss prints it, without the port: `0.0.0.0`, `203.0.113.140`, `*`, `[::]`. */
  readonly address: string;
  /** Set when the socket is bound to a device (`0.0.0.0%eth20:443`: SO_BINDTODEVICE). */
  readonly device?: string;
  readonly port: number;
}

export interface GatewayPing {
  readonly target: string;
  readonly answered: boolean;
  /** The last line of ping's output (its summary), for people. */
  readonly detail: string;
}

/** Facts from one haproxy container. */
export interface ContainerFacts {
  /** Inventory name, e.g. `infra1-haproxy-container-1a2b3c4d`. */
  readonly name: string;
  /** The metal host it runs on (OSA's `physical_host`). */
  readonly physicalHost?: string;
  /** False when the container did not answer (stopped, missing, unreachable). */
  readonly reachable: boolean;
  /** Why it did not answer, or what could not be read. */
  readonly problems: readonly string[];
  readonly interfaces: readonly LiveInterface[];
  readonly routes: readonly LiveRoute[];
  readonly listeners: readonly LiveListener[];
  readonly ping?: GatewayPing;
}

/** Everything gathered from one site. */
export interface LiveFacts {
  readonly site: string;
  readonly containers: readonly ContainerFacts[];
}

type Parsed<T> = { readonly value: T; readonly problem?: string };

/** `ip -j addr show` → interfaces with their IPv4 addresses. */
export function parseIpAddr(text: string): Parsed<LiveInterface[]> {
  const data = parseJsonArray(text);
  if (data === undefined) return { value: [], problem: 'ip -j addr: output is not a JSON array' };
  const out: LiveInterface[] = [];
  for (const item of data) {
    const o = obj(item);
    const name = str(o['ifname']);
    if (name === undefined) continue;
    const ipv4: LiveAddress[] = [];
    for (const a of Array.isArray(o['addr_info']) ? o['addr_info'] : []) {
      const ai = obj(a);
      const address = str(ai['local']);
      const prefixlen = ai['prefixlen'];
      if (ai['family'] === 'inet' && address !== undefined && typeof prefixlen === 'number')
        ipv4.push({ address, prefixlen });
    }
    out.push({ name, operstate: str(o['operstate']) ?? 'UNKNOWN', ipv4 });
  }
  return { value: out };
}

/** `ip -j -4 route show table main` → routes. */
export function parseIpRoute(text: string): Parsed<LiveRoute[]> {
  const data = parseJsonArray(text);
  if (data === undefined) return { value: [], problem: 'ip -j route: output is not a JSON array' };
  const out: LiveRoute[] = [];
  for (const item of data) {
    const o = obj(item);
    const dst = str(o['dst']);
    if (dst === undefined) continue;
    const gateway = str(o['gateway']);
    const dev = str(o['dev']);
    const metric = typeof o['metric'] === 'number' ? o['metric'] : undefined;
    out.push({
      dst: dst === '0.0.0.0/0' ? 'default' : dst,
      ...(gateway !== undefined ? { gateway } : {}),
      ...(dev !== undefined ? { dev } : {}),
      ...(metric !== undefined ? { metric } : {}),
    });
  }
  return { value: out };
}

/**
 * `ss -Hltn` → listening TCP sockets. Columns: state, recv-q, send-q, local, peer. The local
 * column is `addr:port`, `addr%dev:port`, `[v6]:port` or `*:port`.
 */
export function parseSsListen(text: string): Parsed<LiveListener[]> {
  const out: LiveListener[] = [];
  const unread: string[] = [];
  for (const line of text.split('\n').slice(0, 100_000)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || cols[0] === '') continue;
    const m = /^(.*?)(?:%([^:%\]]+))?:(\d{1,5})$/.exec(cols[3]!);
    if (!m) {
      unread.push(cols[3]!);
      continue;
    }
    out.push({ address: m[1]!, ...(m[2] !== undefined ? { device: m[2] } : {}), port: Number(m[3]) });
  }
  return unread.length > 0
    ? { value: out, problem: `ss: could not read ${unread.length} local address(es), e.g. ${unread[0]}` }
    : { value: out };
}

/** ping's exit status and output → whether the gateway answered. */
export function parsePing(target: string, exitCode: number, output: string): GatewayPing {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const summary = lines.find((l) => /packets transmitted/.test(l)) ?? lines[lines.length - 1] ?? '';
  return { target, answered: exitCode === 0, detail: summary.slice(0, 200) };
}

function parseJsonArray(text: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(text.trim() === '' ? '[]' : text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** One command's result as gathered (the playbook's registered result, or a local spawn). */
export interface CommandOutput {
  readonly rc: number;
  readonly stdout: string;
}

/**
 * What the gatherer records per container before parsing: the verify playbook writes exactly
 * this shape (one JSON file per container), and the local gatherer of the tests builds it too.
 */
export interface RawContainerOutput {
  readonly name: string;
  readonly physicalHost?: string;
  readonly reachable: boolean;
  /** Why it is unreachable, or a failed task's message. */
  readonly error?: string;
  readonly addr?: CommandOutput;
  readonly route?: CommandOutput;
  readonly listen?: CommandOutput;
  readonly ping?: CommandOutput & { readonly target: string };
}

/** Parse a container's raw command results; a failed or missing command is a problem. */
export function containerFacts(raw: RawContainerOutput): ContainerFacts {
  const problems: string[] = raw.error ? [raw.error.slice(0, 500)] : [];
  const run = <T>(key: string, out: CommandOutput | undefined, parse: (t: string) => Parsed<T[]>): T[] => {
    if (!raw.reachable) return [];
    if (out === undefined) {
      problems.push(`${key}: not gathered`);
      return [];
    }
    if (out.rc !== 0) {
      problems.push(`${key}: exit ${out.rc}`);
      return [];
    }
    const p = parse(out.stdout);
    if (p.problem) problems.push(p.problem);
    return p.value;
  };
  const interfaces = run('ip -j addr', raw.addr, parseIpAddr);
  const routes = run('ip -j route', raw.route, parseIpRoute);
  const listeners = run('ss -Hltn', raw.listen, parseSsListen);
  return {
    name: raw.name,
    ...(raw.physicalHost !== undefined ? { physicalHost: raw.physicalHost } : {}),
    reachable: raw.reachable,
    problems,
    interfaces,
    routes,
    listeners,
    ...(raw.reachable && raw.ping ? { ping: parsePing(raw.ping.target, raw.ping.rc, raw.ping.stdout) } : {}),
  };
}
