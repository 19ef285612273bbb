/**
 * What verify reads from a live site, and the parsers for the read-only commands that produce it.
 * The same commands run in the project's verify playbook (inside each haproxy container, through
 * OSA's inventory) and locally in the tests (inside network namespaces): `VERIFY_COMMANDS`.
 * Parsers never throw: output they cannot read becomes a `problem` the judge reports as a failure.
 */

/**
 * keepalived's own view of its VRRP instances and track scripts, read where it runs: find the
 * keepalived parent process of this network namespace (its `comm` is keepalived, its parent's
 * is not; a container's /proc shows only its own, a namespace on a shared host shows all, hence
 * the namespace test), ask it for its data dump (`keepalived --signum=DATA`, SIGUSR1: it writes
 * `keepalived.data` into its TMPDIR, /tmp by default: the only state keepalived reports besides
 * SNMP and D-Bus, which OSA does not enable), wait at most 5 s for the file to be rewritten, and
 * print `{"pids": [...], "data": "<the dump>", "error": "..."}`. The dump's format is keepalived's
 * (docs/osa-facts.md#keepalived-state); parseKeepalivedData reads it. Nothing else is written.
 */
export const KEEPALIVED_STATE_PY = `import json, os, signal, subprocess, time
out = {'pids': [], 'data': '', 'error': ''}
try:
    me = os.readlink('/proc/self/ns/net')
    procs = {}
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % p) as f:
                if f.read().strip() != 'keepalived':
                    continue
            if os.readlink('/proc/%s/ns/net' % p) != me:
                continue
            with open('/proc/%s/stat' % p) as f:
                procs[int(p)] = int(f.read().rsplit(')', 1)[1].split()[1])
        except OSError:
            pass
    out['pids'] = sorted(p for p, pp in procs.items() if pp not in procs)
    if out['pids']:
        pid = out['pids'][0]
        with open('/proc/%d/environ' % pid, 'rb') as f:
            env = [e for e in f.read().split(b'\\0') if e.startswith(b'TMPDIR=')]
        path = os.path.join(env[0][7:].decode() if env and env[0][7:] else '/tmp', 'keepalived.data')
        before = os.stat(path).st_mtime_ns if os.path.exists(path) else 0
        try:
            sig = int(subprocess.run(['keepalived', '--signum=DATA'], capture_output=True, timeout=5).stdout or 10)
        except Exception:
            sig = signal.SIGUSR1
        os.kill(pid, sig)
        size = -1
        for _ in range(100):
            time.sleep(0.05)
            if os.path.exists(path) and os.stat(path).st_mtime_ns != before:
                now = os.stat(path).st_size
                if now == size and now > 0:
                    break
                size = now
        else:
            out['error'] = 'keepalived did not write %s within 5 s' % path
        if not out['error']:
            with open(path, errors='replace') as f:
                out['data'] = f.read(500000)
except Exception as e:
    out['error'] = '%s: %s' % (type(e).__name__, e)
print(json.dumps(out))
`;

/**
 * The commands run inside each haproxy container, by key. `ping` gets the gateway appended.
 * `ip -j` is iproute2's JSON output; `ss -Hltn` lists listening TCP sockets without a header.
 */
export const VERIFY_COMMANDS = {
  addr: ['ip', '-j', 'addr', 'show'],
  route: ['ip', '-j', '-4', 'route', 'show', 'table', 'main'],
  listen: ['ss', '-Hltn'],
  ping: ['ping', '-c', '3', '-W', '2', '-q'],
  keepalived: ['python3', '-c', KEEPALIVED_STATE_PY],
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

/** One VRRP instance as keepalived reports it (its data dump). */
export interface VrrpInstanceState {
  readonly name: string;
  /** `MASTER`, `BACKUP`, `FAULT`, `INIT`, `STOP`. */
  readonly state: string;
  readonly vrid?: number;
  readonly interface?: string;
  readonly trackedScripts: readonly string[];
}

/** One track script as keepalived reports it: `GOOD` is healthy. */
export interface TrackScriptState {
  readonly name: string;
  readonly status: string;
}

export interface KeepalivedFacts {
  /** keepalived's parent processes in the container's network namespace (one when it runs). */
  readonly pids: readonly number[];
  readonly instances: readonly VrrpInstanceState[];
  readonly scripts: readonly TrackScriptState[];
  /** Why the state could not be read (it does not run, the dump did not come, …). */
  readonly problem?: string;
}

/** Facts from one member of the `haproxy` group: a container, or a metal host still in it. */
export interface ContainerFacts {
  /** Inventory name, e.g. `infra1-haproxy-container-1a2b3c4d`. */
  readonly name: string;
  /** A metal host (`is_metal`) still in the group: only its addresses and keepalived are read. */
  readonly metal?: boolean;
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
  /** Undefined when not gathered (an older playbook). */
  readonly keepalived?: KeepalivedFacts;
}

/** A TCP connection (and, on a TLS bind, a handshake) from the deploy host to a VIP's frontend. */
export interface ServingProbe {
  readonly vip: string;
  readonly port: number;
  readonly connected: boolean;
  /** Why the connection or the handshake failed. */
  readonly error?: string;
  /** Set when a TLS handshake was made: the certificate's subjectAltName entries. */
  readonly tls?: { readonly dns: readonly string[]; readonly ip: readonly string[] };
}

/** Everything gathered from one site. */
export interface LiveFacts {
  readonly site: string;
  readonly containers: readonly ContainerFacts[];
  /**
   * Inventory groups with hosts (what decides which service frontends OSA configured);
   * undefined when not gathered, then only haproxy-install's own frontends are expected.
   */
  readonly groupsWithHosts?: readonly string[];
  /** From the deploy host, one per expected frontend and VIP; undefined when not probed. */
  readonly serving?: readonly ServingProbe[];
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

/**
 * The keepalived probe's output (KEEPALIVED_STATE_PY) → its processes, VRRP instances and track
 * scripts. The dump is keepalived's `keepalived.data` text: `------< VRRP Topology >------` with
 * ` VRRP Instance = <name>` blocks (`State = `, `Virtual Router ID = `, `Interface = `, and under
 * `Tracked scripts :` one `<name> weight <n>` a line), and `------< VRRP Scripts >------` with
 * ` VRRP Script = <name>` blocks (`Status = GOOD|BAD|…`).
 */
export function parseKeepalivedState(rc: number, stdout: string): KeepalivedFacts {
  const none = (problem: string): KeepalivedFacts => ({ pids: [], instances: [], scripts: [], problem });
  if (rc !== 0) return none(`the keepalived probe exited ${rc}`);
  let o: Record<string, unknown>;
  try {
    o = obj(JSON.parse(stdout));
  } catch {
    return none('the keepalived probe printed no JSON');
  }
  const pids = Array.isArray(o['pids']) ? o['pids'].filter((p): p is number => typeof p === 'number') : [];
  const error = str(o['error']);
  if (pids.length === 0) return { pids, instances: [], scripts: [], problem: 'keepalived is not running' };
  const { instances, scripts } = parseKeepalivedData(typeof o['data'] === 'string' ? o['data'] : '');
  const problem =
    error ?? (instances.length === 0 ? 'keepalived reported no VRRP instance in its data dump' : undefined);
  return { pids, instances, scripts, ...(problem !== undefined ? { problem: problem.slice(0, 300) } : {}) };
}

export function parseKeepalivedData(text: string): {
  instances: VrrpInstanceState[];
  scripts: TrackScriptState[];
} {
  const instances: VrrpInstanceState[] = [];
  const scripts: TrackScriptState[] = [];
  let section = '';
  let inst: { name: string; state: string; vrid?: number; interface?: string; tracked: string[] } | undefined;
  let inTracked = false;
  let script: { name: string; status: string } | undefined;
  const flush = () => {
    if (inst)
      instances.push({
        name: inst.name,
        state: inst.state,
        ...(inst.vrid !== undefined ? { vrid: inst.vrid } : {}),
        ...(inst.interface !== undefined ? { interface: inst.interface } : {}),
        trackedScripts: inst.tracked,
      });
    if (script) scripts.push(script);
    inst = undefined;
    script = undefined;
    inTracked = false;
  };
  for (const line of text.split('\n').slice(0, 200_000)) {
    const head = /^------< (.*) >------$/.exec(line.trim());
    if (head) {
      flush();
      section = head[1]!;
      continue;
    }
    if (section === 'VRRP Topology') {
      const m = /^ VRRP Instance = (\S+)/.exec(line);
      if (m) {
        flush();
        inst = { name: m[1]!, state: '', tracked: [] };
        continue;
      }
      if (!inst) continue;
      const kv = /^ {3}(\S[^=]*?) = (.*)$/.exec(line);
      if (kv) {
        inTracked = false;
        if (kv[1] === 'State' && inst.state === '') inst.state = kv[2]!.trim();
        else if (kv[1] === 'Virtual Router ID') inst.vrid = Number(kv[2]);
        else if (kv[1] === 'Interface' && inst.interface === undefined) inst.interface = kv[2]!.trim();
        continue;
      }
      if (/^ {3}Tracked scripts\s*:/.test(line)) {
        inTracked = true;
        continue;
      }
      const tracked = /^ {5}(\S+) weight/.exec(line);
      if (inTracked && tracked) inst.tracked.push(tracked[1]!);
      else if (/^ {3}\S/.test(line)) inTracked = false;
    } else if (section === 'VRRP Scripts') {
      const m = /^ VRRP Script = (\S+)/.exec(line);
      if (m) {
        flush();
        script = { name: m[1]!, status: '' };
        continue;
      }
      const st = /^ {3}Status = (\S+)/.exec(line);
      if (script && st) script.status = st[1]!;
    }
  }
  flush();
  return { instances, scripts };
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
  /** A metal member of the haproxy group (`is_metal`). */
  readonly metal?: boolean;
  readonly physicalHost?: string;
  readonly reachable: boolean;
  /** Why it is unreachable, or a failed task's message. */
  readonly error?: string;
  readonly addr?: CommandOutput;
  readonly route?: CommandOutput;
  readonly listen?: CommandOutput;
  readonly ping?: CommandOutput & { readonly target: string };
  readonly keepalived?: CommandOutput;
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
  // A metal member: only its addresses (does it hold a VIP?) and its keepalived are read.
  const routes = raw.metal ? [] : run('ip -j route', raw.route, parseIpRoute);
  const listeners = raw.metal ? [] : run('ss -Hltn', raw.listen, parseSsListen);
  const keepalived =
    raw.reachable && raw.keepalived
      ? parseKeepalivedState(raw.keepalived.rc, raw.keepalived.stdout)
      : undefined;
  return {
    name: raw.name,
    ...(raw.metal ? { metal: true } : {}),
    ...(raw.physicalHost !== undefined ? { physicalHost: raw.physicalHost } : {}),
    reachable: raw.reachable,
    problems,
    interfaces,
    routes,
    listeners,
    ...(raw.reachable && raw.ping && !raw.metal
      ? { ping: parsePing(raw.ping.target, raw.ping.rc, raw.ping.stdout) }
      : {}),
    ...(keepalived ? { keepalived } : {}),
  };
}
