import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  haproxyHosts,
  ipv4,
  managementCidrName,
  managementNetwork,
  own,
  type Environment,
  type RenderedTree,
} from '@osa-gitops/core';
import { renderUsedIps } from '@osa-gitops/render';
import { ipIn, must, Resources, runIn, uniquePrefix, waitFor, type RunResult } from './netns';
import { TwinPki } from './pki';
import {
  renderRoleConfigs,
  serviceGroups,
  type ContainerConfig,
  type TwinService,
  type UpstreamSources,
} from './role-config';

const { formatAddress, requireAddress, requireCidr } = ipv4;

/**
 * A site twin: the site's haproxy containers as Linux network namespaces running the real
 * keepalived and HAProxy (Debian's packages), configured with what the real roles' templates make
 * of the site's rendered tree (role-config.ts).
 *
 * Layout (all of it inside namespaces made here; nothing routes out of them):
 * - `<p>h`, the hosts' side: the bridges the containers' veths plug into, named as the site names
 *   them (the public network's bridge, e.g. br-public-api; the management network's, br-mgmt), and
 *   lxcbr0 (10.0.3.1/24, LXC's own network on eth0). One namespace stands for every host's
 *   bridges: the bond/VLAN layer under them is the systemd_networkd role test's business.
 * - `<p>c1…`: one per haproxy host, in `haproxy_hosts` order: eth0 on lxcbr0, the management
 *   interface (eth1) and the public one (eth20) as veths on those bridges, an address of each
 *   network that OSA would not reserve, a default route via the public gateway on the public
 *   interface. `/etc/netns/<ns>/{keepalived,haproxy}` hold its configuration: `ip netns exec`
 *   mounts them on /etc/keepalived and /etc/haproxy, where the roles' files point.
 * - `<p>gw`: the public gateway (its address on the public bridge) and the deploy host (an
 *   address on the management bridge): the client of the failover tests and where
 *   `osa-gitops verify` runs.
 * - `<p>be`: stand-in backends on the management network: one small server answering HTTP 200 on
 *   every port a `server` line of the HAProxy configuration names.
 *
 * What differs from a real container, and why: namespaces share the file system and the process
 * table, so each daemon gets its own pid files and TMPDIR under the twin's run directory, the
 * stats socket moves there (`stats socket /var/run/haproxy.stat` would be one socket for all),
 * and keepalived's `haproxy_check.sh` reads that pid file. The check scripts are OSA's own
 * (`scripts/keepalived_{haproxy,pingable}_check.sh`: `kill -0` of HAProxy's pid, `ping -c N`).
 */

export interface TwinOptions {
  readonly environment: Environment;
  /** The site's rendered tree (`environments/<site>/openstack_deploy/`). */
  readonly tree: RenderedTree;
  readonly sources: UpstreamSources;
  /** The services OSA configures HAProxy for (default: DEFAULT_SERVICES). */
  readonly services?: readonly Omit<TwinService, 'backends'>[];
  readonly log?: (line: string) => void;
  /** Namespace name prefix (default: unique per process). */
  readonly prefix?: string;
}

/** A representative set: TLS services on both VIPs, and internal-only TCP and HTTP ones. */
export const DEFAULT_SERVICES: readonly Omit<TwinService, 'backends'>[] = [
  { group: 'keystone_all', variable: 'keystone_haproxy_services' },
  { group: 'glance_api', variable: 'glance_haproxy_services' },
  { group: 'placement_api', variable: 'placement_haproxy_services', alsoGroups: ['placement_all'] },
  { group: 'neutron_server', variable: 'neutron_haproxy_services' },
  { group: 'galera_all', variable: 'galera_haproxy_services' },
  { group: 'repo_all', variable: 'repo_haproxy_services' },
];

export interface TwinContainer {
  /** The host it stands for (OSA's `physical_host`). */
  readonly host: string;
  /** Inventory name, `<host>-haproxy-container-<n>`. */
  readonly name: string;
  readonly ns: string;
  readonly managementAddress: string;
  readonly publicAddress: string;
  /** Host-side veth peers in the hosts namespace (what "its links" are). */
  readonly links: readonly string[];
}

export interface TwinAddresses {
  readonly publicCidr: string;
  readonly gateway: string;
  readonly externalVip: string;
  readonly internalVip: string;
  readonly publicInterface: string;
  readonly managementInterface: string;
  readonly managementCidr: string;
  readonly deployHost: string;
  readonly backend: string;
}

const RUN_ROOT = '/run/osa-gitops-twin';
const LXC_BRIDGE = 'lxcbr0';
const LXC_GATEWAY = '10.0.3.1';

export class Twin {
  readonly prefix: string;
  readonly hostsNs: string;
  readonly gatewayNs: string;
  readonly backendNs: string;
  readonly containers: TwinContainer[] = [];
  readonly addresses: TwinAddresses;
  readonly services: readonly TwinService[];
  /** The twin's files: role output, certificates, logs, pid files. */
  readonly dir: string;
  readonly runDir: string;
  private readonly res = new Resources();
  private readonly daemons = new Map<string, { keepalived?: ChildProcess; haproxy?: ChildProcess }>();
  private configs = new Map<string, ContainerConfig>();
  private pki: TwinPki | undefined;
  private readonly log: (line: string) => void;
  private metalCount = 0;
  /** A free address of a network (not reserved, not taken by the site or the twin). */
  private readonly pick: (cidr: string) => string;
  readonly metal: { readonly host: string; readonly ns: string }[] = [];

  private constructor(private readonly opts: TwinOptions) {
    this.log = opts.log ?? (() => undefined);
    this.prefix = opts.prefix ?? uniquePrefix('ogt');
    this.hostsNs = `${this.prefix}h`;
    this.gatewayNs = `${this.prefix}gw`;
    this.backendNs = `${this.prefix}be`;
    this.dir = mkdtempSync(join(tmpdir(), `osa-gitops-twin-${this.prefix}-`));
    this.res.addPath(this.dir);
    this.runDir = join(RUN_ROOT, this.prefix);
    const env = opts.environment;
    const pub = env.haproxy.publicNetwork;
    const mgmt = managementNetwork(env);
    const mgmtCidrName = managementCidrName(env);
    const publicCidr = own(env.networks, pub.cidrName);
    const managementCidr = mgmtCidrName === undefined ? undefined : own(env.networks, mgmtCidrName);
    if (!mgmt?.containerInterface || publicCidr === undefined || managementCidr === undefined)
      throw new Error('the twin needs a validated definition (public and management networks)');
    const hosts = haproxyHosts(env);
    const taken = new Set<number>([
      requireAddress(pub.gateway),
      requireAddress(env.haproxy.vips.external),
      requireAddress(env.haproxy.vips.internal),
      ...Object.values(env.hosts).map((h) => requireAddress(h.ip)),
    ]);
    const reserved = renderUsedIps(env).map((entry) => {
      const [a, b] = entry.split(',');
      return { first: requireAddress(a!), last: requireAddress(b ?? a!) };
    });
    const pick = (this.pick = (cidr: string): string => {
      const net = requireCidr(cidr);
      for (let n = net.last - 1; n > net.first; n--) {
        if (taken.has(n) || reserved.some((r) => r.first <= n && n <= r.last)) continue;
        taken.add(n);
        return formatAddress(n);
      }
      throw new Error(`no free address left in ${cidr} for the twin`);
    });
    this.addresses = {
      publicCidr,
      gateway: pub.gateway,
      externalVip: env.haproxy.vips.external,
      internalVip: env.haproxy.vips.internal,
      publicInterface: pub.containerInterface,
      managementInterface: mgmt.containerInterface,
      managementCidr,
      deployHost: pick(managementCidr),
      backend: pick(managementCidr),
    };
    hosts.forEach((host, i) => {
      const n = i + 1;
      this.containers.push({
        host,
        name: `${host}-haproxy-container-${(0x1000 + n).toString(16).padStart(8, '0')}`,
        ns: `${this.prefix}c${n}`,
        managementAddress: pick(managementCidr),
        publicAddress: pick(publicCidr),
        links: [`c${n}m`, `c${n}p`, `c${n}l`],
      });
    });
    this.services = (opts.services ?? DEFAULT_SERVICES).map((s) => ({
      ...s,
      backends: [{ name: `${s.group.replace(/_/g, '-')}-backend`, address: this.addresses.backend }],
    }));
  }

  /** Build the namespaces, evaluate the roles, start the daemons, wait until each VIP is held once. */
  static async start(opts: TwinOptions): Promise<Twin> {
    const twin = new Twin(opts);
    try {
      await twin.build();
    } catch (e) {
      twin.destroy();
      throw e;
    }
    return twin;
  }

  private prefixLen(cidr: string): number {
    return requireCidr(cidr).prefix;
  }

  private async build(): Promise<void> {
    const a = this.addresses;
    const env = this.opts.environment;
    const pubBridge = env.haproxy.publicNetwork.bridge;
    const mgmtBridge = managementNetwork(env)!.bridge;
    mkdirSync(this.runDir, { recursive: true });
    this.res.addPath(this.runDir);

    this.log('twin: evaluating the keepalived and haproxy_server templates with ansible-playbook');
    const work = join(this.dir, 'roles');
    mkdirSync(work);
    const configs = await renderRoleConfigs({
      tree: this.opts.tree,
      containers: this.containers.map((c) => c.name),
      services: this.services,
      sources: this.opts.sources,
      work,
    });
    this.configs = new Map(configs.map((c) => [c.name, c]));
    mkdirSync(join(this.dir, 'pki'));
    this.pki = new TwinPki(join(this.dir, 'pki'));

    this.log('twin: namespaces, bridges and veths');
    this.res.addNamespace(this.hostsNs);
    for (const [bridge, addr] of [
      [pubBridge, undefined],
      [mgmtBridge, undefined],
      [LXC_BRIDGE, `${LXC_GATEWAY}/24`],
    ] as const) {
      ipIn(this.hostsNs, ['link', 'add', bridge, 'type', 'bridge']);
      if (addr) ipIn(this.hostsNs, ['addr', 'add', addr, 'dev', bridge]);
      ipIn(this.hostsNs, ['link', 'set', bridge, 'up']);
    }
    const plug = (ns: string, iface: string, peer: string, bridge: string, cidr: string) => {
      ipIn(this.hostsNs, ['link', 'add', peer, 'type', 'veth', 'peer', 'name', iface, 'netns', ns]);
      ipIn(this.hostsNs, ['link', 'set', peer, 'master', bridge, 'up']);
      ipIn(ns, ['addr', 'add', cidr, 'dev', iface]);
      ipIn(ns, ['link', 'set', iface, 'up']);
    };
    this.res.addNamespace(this.gatewayNs);
    plug(this.gatewayNs, 'pub', 'gwp', pubBridge, `${a.gateway}/${this.prefixLen(a.publicCidr)}`);
    plug(this.gatewayNs, 'mgmt', 'gwm', mgmtBridge, `${a.deployHost}/${this.prefixLen(a.managementCidr)}`);
    this.res.addNamespace(this.backendNs);
    plug(this.backendNs, 'mgmt', 'bem', mgmtBridge, `${a.backend}/${this.prefixLen(a.managementCidr)}`);

    for (const [i, c] of this.containers.entries()) {
      this.res.addNamespace(c.ns);
      plug(
        c.ns,
        a.managementInterface,
        c.links[0]!,
        mgmtBridge,
        `${c.managementAddress}/${this.prefixLen(a.managementCidr)}`,
      );
      plug(
        c.ns,
        a.publicInterface,
        c.links[1]!,
        pubBridge,
        `${c.publicAddress}/${this.prefixLen(a.publicCidr)}`,
      );
      plug(c.ns, 'eth0', c.links[2]!, LXC_BRIDGE, `10.0.3.${11 + i}/24`);
      ipIn(c.ns, ['route', 'add', 'default', 'via', a.gateway, 'dev', a.publicInterface]);
      this.writeContainerFiles(c);
    }

    this.log('twin: stand-in backends');
    await this.startBackends();
    this.log('twin: HAProxy and keepalived in each container');
    for (const c of this.containers) {
      await this.startHaproxy(c.name);
      this.startKeepalived(c.name);
    }
    const held = await this.waitForVips(60_000);
    if (!held)
      throw new Error(
        `the VIPs did not settle on one container each within 60 s: ${JSON.stringify(await this.vipHolders())}`,
      );
    this.log(`twin: ready (VIPs on ${held})`);
  }

  container(nameOrIndex: string | number): TwinContainer {
    const c =
      typeof nameOrIndex === 'number'
        ? this.containers[nameOrIndex]
        : this.containers.find(
            (x) => x.name === nameOrIndex || x.host === nameOrIndex || x.ns === nameOrIndex,
          );
    if (!c) throw new Error(`no twin container ${nameOrIndex}`);
    return c;
  }

  private etc(ns: string, ...parts: string[]): string {
    return join('/etc/netns', ns, ...parts);
  }

  private pidFile(ns: string, daemon: string): string {
    return join(this.runDir, ns, `${daemon}.pid`);
  }

  private writeContainerFiles(c: TwinContainer): void {
    const cfg = this.configs.get(c.name)!;
    mkdirSync(this.etc(c.ns), { recursive: true, mode: 0o755 });
    this.res.addPath(this.etc(c.ns));
    mkdirSync(join(this.runDir, c.ns, 'tmp'), { recursive: true, mode: 0o700 });
    const kdir = this.etc(c.ns, 'keepalived');
    mkdirSync(kdir, { mode: 0o755 });
    writeFileSync(join(kdir, 'keepalived.conf'), cfg.keepalivedConf, { mode: 0o644 });
    // OSA's scripts/keepalived_haproxy_check.sh and keepalived_pingable_check.sh, with this
    // container's HAProxy pid file in place of /var/run/haproxy.pid.
    writeFileSync(
      join(kdir, 'haproxy_check.sh'),
      `#!/bin/sh\n/bin/kill -0 $(cat ${this.pidFile(c.ns, 'haproxy')})\n`,
      {
        mode: 0o755,
      },
    );
    writeFileSync(join(kdir, 'pingable_check.sh'), '#!/bin/sh\n/bin/ping -c $1 $2 1>&2\n', { mode: 0o755 });
    const hdir = this.etc(c.ns, 'haproxy');
    mkdirSync(join(hdir, 'conf.d'), { recursive: true, mode: 0o755 });
    mkdirSync(join(hdir, 'ssl'), { mode: 0o700 });
    for (const [name, text] of cfg.haproxyFiles) writeFileSync(join(hdir, 'conf.d', name), text);
    for (const [name, text] of cfg.maps) writeFileSync(join(hdir, `${name}.map`), text, { mode: 0o640 });
    for (const cert of cfg.certs)
      writeFileSync(join(hdir, 'ssl', `${cert.name}.pem`), this.pki!.pem(cert), { mode: 0o600 });
    this.assembleHaproxy(c);
  }

  /** haproxy_server's handler: `assemble` conf.d into haproxy.cfg (files in name order). */
  private assembleHaproxy(c: TwinContainer): void {
    const hdir = this.etc(c.ns, 'haproxy');
    const names = must(['ls', '-1', join(hdir, 'conf.d')])
      .split('\n')
      .filter((n) => n !== '')
      .sort();
    const text = names
      .map((n) => readFileSync(join(hdir, 'conf.d', n), 'utf8'))
      .join('')
      .replace(
        /stats socket \/var\/run\/haproxy\.stat/g,
        `stats socket ${join(this.runDir, c.ns, 'haproxy.stat')}`,
      );
    writeFileSync(join(hdir, 'haproxy.cfg'), text, { mode: 0o640 });
  }

  private logFd(name: string): number {
    return openSync(join(this.dir, `${name}.log`), 'a');
  }

  private spawnDaemon(
    ns: string,
    name: string,
    argv: readonly string[],
    env: NodeJS.ProcessEnv = {},
  ): ChildProcess {
    const fd = this.logFd(name);
    const child = spawn(
      'ip',
      ['netns', 'exec', ns, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv],
      {
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    child.on('error', () => undefined);
    return this.res.addProcess(child);
  }

  /** Start (or restart) the container's HAProxy from /etc/haproxy/haproxy.cfg; waits for its pid file. */
  async startHaproxy(name: string): Promise<void> {
    const c = this.container(name);
    await this.stopHaproxy(name);
    const check = await runIn(c.ns, ['haproxy', '-c', '-f', '/etc/haproxy/haproxy.cfg']);
    if (check.rc !== 0) throw new Error(`haproxy -c in ${c.name}: ${check.stdout}${check.stderr}`);
    const pid = this.pidFile(c.ns, 'haproxy');
    rmSync(pid, { force: true });
    const child = this.spawnDaemon(c.ns, `${c.ns}-haproxy`, [
      'haproxy',
      '-W',
      '-db',
      '-f',
      '/etc/haproxy/haproxy.cfg',
      '-p',
      pid,
    ]);
    this.daemons.set(c.name, { ...this.daemons.get(c.name), haproxy: child });
    const ok = await waitFor(() => (readIfExists(pid)?.trim() ? true : undefined), 10_000);
    if (!ok) throw new Error(`HAProxy in ${c.name} did not start (see ${this.dir}/${c.ns}-haproxy.log)`);
  }

  async stopHaproxy(name: string): Promise<void> {
    const c = this.container(name);
    const d = this.daemons.get(c.name)?.haproxy;
    if (d) await stop(d);
  }

  /** Start the container's keepalived (the Debian package's daemon, in the foreground). */
  startKeepalived(name: string): void {
    const c = this.container(name);
    const run = join(this.runDir, c.ns);
    const child = this.spawnDaemon(
      c.ns,
      `${c.ns}-keepalived`,
      [
        'keepalived',
        '--dont-fork',
        '--log-console',
        '--log-detail',
        '--no-syslog',
        '-f',
        '/etc/keepalived/keepalived.conf',
        '-p',
        join(run, 'keepalived.pid'),
        '-r',
        join(run, 'keepalived_vrrp.pid'),
        '-c',
        join(run, 'keepalived_checkers.pid'),
        '-b',
        join(run, 'keepalived_bfd.pid'),
      ],
      { TMPDIR: join(run, 'tmp') },
    );
    this.daemons.set(c.name, { ...this.daemons.get(c.name), keepalived: child });
  }

  /** Stop keepalived as `systemctl stop` does (SIGTERM: it gives up its VIPs and says so, priority 0). */
  async stopKeepalived(name: string): Promise<void> {
    const d = this.daemons.get(this.container(name).name)?.keepalived;
    if (d) await stop(d);
  }

  /** A lost host: its container's links on the bridges go down (the container itself is untouched). */
  linksDown(name: string): void {
    for (const l of this.container(name).links) ipIn(this.hostsNs, ['link', 'set', l, 'down']);
  }

  linksUp(name: string): void {
    for (const l of this.container(name).links) ipIn(this.hostsNs, ['link', 'set', l, 'up']);
  }

  /** Remove one service's conf.d file from a container and restart its HAProxy (a frontend missing). */
  async removeService(name: string, service: string): Promise<() => Promise<void>> {
    const c = this.container(name);
    const file = join(this.etc(c.ns, 'haproxy'), 'conf.d', service);
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    this.assembleHaproxy(c);
    await this.startHaproxy(c.name);
    return async () => {
      writeFileSync(file, text);
      this.assembleHaproxy(c);
      await this.startHaproxy(c.name);
    };
  }

  /** Re-issue a container's certificates without `ip` in their SANs and restart HAProxy. */
  async certificatesWithout(name: string, ip: string): Promise<() => Promise<void>> {
    const c = this.container(name);
    const cfg = this.configs.get(c.name)!;
    const ssl = join(this.etc(c.ns, 'haproxy'), 'ssl');
    const saved = cfg.certs.map(
      (cert) => [cert.name, readFileSync(join(ssl, `${cert.name}.pem`), 'utf8')] as const,
    );
    for (const cert of cfg.certs)
      writeFileSync(join(ssl, `${cert.name}.pem`), this.pki!.pem(cert, [ip]), { mode: 0o600 });
    await this.startHaproxy(c.name);
    return async () => {
      for (const [n, text] of saved) writeFileSync(join(ssl, `${n}.pem`), text, { mode: 0o600 });
      await this.startHaproxy(c.name);
    };
  }

  /**
   * A leftover keepalived on a metal host still in the `haproxy` group (a site moving off metal):
   * a namespace on the public and management bridges with the host's own address, running
   * keepalived with `conf` (by default: the external VIP as MASTER on a router id of its own,
   * as an older metal configuration would be). Returns the metal member's namespace.
   */
  addMetalKeepalived(host: string, conf?: string): { readonly host: string; readonly ns: string } {
    const env = this.opts.environment;
    const a = this.addresses;
    const n = ++this.metalCount;
    const ns = `${this.prefix}m${n}`;
    this.res.addNamespace(ns);
    const ip = env.hosts[host]?.ip ?? a.deployHost;
    ipIn(this.hostsNs, ['link', 'add', `m${n}m`, 'type', 'veth', 'peer', 'name', 'br-mgmt', 'netns', ns]);
    ipIn(this.hostsNs, ['link', 'set', `m${n}m`, 'master', managementNetwork(env)!.bridge, 'up']);
    ipIn(ns, ['addr', 'add', `${ip}/${this.prefixLen(a.managementCidr)}`, 'dev', 'br-mgmt']);
    ipIn(ns, ['link', 'set', 'br-mgmt', 'up']);
    const pubIf = 'br-public-api';
    ipIn(this.hostsNs, ['link', 'add', `m${n}p`, 'type', 'veth', 'peer', 'name', pubIf, 'netns', ns]);
    ipIn(this.hostsNs, ['link', 'set', `m${n}p`, 'master', env.haproxy.publicNetwork.bridge, 'up']);
    ipIn(ns, ['addr', 'add', `${this.pick(a.publicCidr)}/${this.prefixLen(a.publicCidr)}`, 'dev', pubIf]);
    ipIn(ns, ['link', 'set', pubIf, 'up']);
    const dir = this.etc(ns, 'keepalived');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    this.res.addPath(this.etc(ns));
    mkdirSync(join(this.runDir, ns, 'tmp'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(dir, 'keepalived.conf'),
      conf ??
        `vrrp_instance external {\n  interface ${pubIf}\n  state MASTER\n  virtual_router_id 99\n  priority 200\n` +
          `  virtual_ipaddress {\n    ${a.externalVip}/32 dev ${pubIf}\n  }\n}\n`,
    );
    const run = join(this.runDir, ns);
    this.spawnDaemon(
      ns,
      `${ns}-keepalived`,
      [
        'keepalived',
        '--dont-fork',
        '--log-console',
        '--no-syslog',
        '-f',
        '/etc/keepalived/keepalived.conf',
        '-p',
        join(run, 'keepalived.pid'),
        '-r',
        join(run, 'keepalived_vrrp.pid'),
        '-c',
        join(run, 'keepalived_checkers.pid'),
        '-b',
        join(run, 'keepalived_bfd.pid'),
      ],
      { TMPDIR: join(run, 'tmp') },
    );
    const member = { host, ns };
    this.metal.push(member);
    return member;
  }

  /** Remove a metal member added by addMetalKeepalived (its keepalived dies with the namespace's processes). */
  removeMetal(ns: string): void {
    const i = this.metal.findIndex((m) => m.ns === ns);
    if (i < 0) return;
    this.metal.splice(i, 1);
    must(['sh', '-c', `ip netns pids ${ns} | xargs -r kill -TERM`]);
    // keepalived removes its VIPs on SIGTERM; the namespace goes with cleanup().
  }

  /** Which container holds each VIP: `{ external: [names], internal: [names] }`. */
  async vipHolders(): Promise<{ external: string[]; internal: string[] }> {
    const out = { external: [] as string[], internal: [] as string[] };
    const members = [
      ...this.containers.map((c) => ({ name: c.name, ns: c.ns })),
      ...this.metal.map((m) => ({ name: m.host, ns: m.ns })),
    ];
    for (const m of members) {
      const r = await runIn(m.ns, ['ip', '-j', '-4', 'addr', 'show']);
      const data = JSON.parse(r.stdout || '[]') as { addr_info?: { local?: string }[] }[];
      const addrs = new Set(data.flatMap((i) => (i.addr_info ?? []).map((x) => x.local)));
      if (addrs.has(this.addresses.externalVip)) out.external.push(m.name);
      if (addrs.has(this.addresses.internalVip)) out.internal.push(m.name);
    }
    return out;
  }

  /** Wait until each VIP is held by exactly one member; returns the external holder. */
  async waitForVips(timeoutMs: number, not?: string): Promise<string | undefined> {
    return waitFor(
      async () => {
        const h = await this.vipHolders();
        return h.external.length === 1 && h.internal.length === 1 && h.external[0] !== not
          ? h.external[0]
          : undefined;
      },
      timeoutMs,
      200,
    );
  }

  /** Start the stand-in backends on every port a `server` line names (and its check port). */
  private async startBackends(): Promise<void> {
    const ports = new Set<number>();
    for (const cfg of this.configs.values())
      for (const [, text] of cfg.haproxyFiles)
        for (const m of text.matchAll(/^\s*server \S+ \S+:(\d+) check port (\d+)/gm)) {
          ports.add(Number(m[1]));
          ports.add(Number(m[2]));
        }
    const script = join(this.dir, 'backend.py');
    writeFileSync(script, BACKEND_PY);
    chmodSync(script, 0o644);
    this.spawnDaemon(this.backendNs, 'backends', [
      'python3',
      script,
      ...[...ports].sort((x, y) => x - y).map(String),
    ]);
    const ok = await waitFor(async () => {
      const r = await runIn(this.backendNs, ['ss', '-Hltn']);
      return [...ports].every((p) => r.stdout.includes(`:${p} `)) ? true : undefined;
    }, 10_000);
    if (!ok) throw new Error(`the stand-in backends did not listen (see ${this.dir}/backends.log)`);
  }

  /** Run argv in the gateway (client, deploy host) namespace. */
  inGateway(argv: readonly string[], opts: Parameters<typeof runIn>[2] = {}): Promise<RunResult> {
    return runIn(this.gatewayNs, argv, opts);
  }

  /** The stand-in OSA inventory (`hosts.yml` of the stand-in wrapper): containers reached by `ip netns exec`. */
  inventory(): string {
    const hosts: Record<string, unknown> = {};
    for (const c of this.containers)
      hosts[c.name] = {
        physical_host: c.host,
        ansible_python_interpreter: `ip netns exec ${c.ns} /usr/bin/python3`,
        properties: { is_metal: false },
      };
    for (const m of this.metal)
      hosts[m.host] = {
        physical_host: m.host,
        ansible_python_interpreter: `ip netns exec ${m.ns} /usr/bin/python3`,
        properties: { is_metal: true },
      };
    const children: Record<string, unknown> = { haproxy_all: { children: { haproxy: { hosts } } } };
    for (const s of this.services) {
      const backends = Object.fromEntries(s.backends.map((b) => [b.name, { management_address: b.address }]));
      for (const g of serviceGroups(s)) children[g] = { hosts: backends };
    }
    return JSON.stringify({ all: { vars: { ansible_connection: 'local' }, children } }, null, 2);
  }

  /** Daemon logs, for a failure message. */
  logs(): string {
    return must(['sh', '-c', `tail -n 20 ${this.dir}/*.log 2>/dev/null || true`]);
  }

  /** Everything removed: daemons, namespaces, /etc/netns entries, run and temp dirs. */
  destroy(): void {
    this.res.cleanup();
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Answers every request on every port given with HTTP 200 (and accepts plain TCP clients). */
const BACKEND_PY = `import socket, sys, threading
def serve(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=answer, args=(c, port), daemon=True).start()
def answer(c, port):
    try:
        c.settimeout(5)
        data = b''
        while b'\\r\\n\\r\\n' not in data and len(data) < 65536:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
        body = b'stand-in backend %d\\n' % port
        c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n' % len(body) + (b'' if data.startswith(b'HEAD') else body))
    except Exception:
        pass
    finally:
        c.close()
for p in sys.argv[1:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
print('ready', flush=True)
threading.Event().wait()
`;
