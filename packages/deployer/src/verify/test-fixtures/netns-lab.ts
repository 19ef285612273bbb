import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { exampleProviderNetworks, type EnvironmentInput } from '@osa-gitops/core';
import { type CommandOutput, type ServingProbe } from '@osa-gitops/render';
import type { CommandRunner } from '../gather-local';
import type { ServingTarget } from '../probe-serving';

/**
 * A site's haproxy containers as Linux network namespaces, shaped like the OSA guide (the numbers
 * of guide-lab): a "switch" namespace holds the bridges br-public-api (the public gateway
 * 203.0.113.129/28), br-mgmt and lxcbr0; each "container" namespace gets eth0 (LXC's own network),
 * eth1 (management) and eth20 (public) as veth pairs into those bridges, the addresses OSA would
 * give it, a default route via the public gateway on eth20, and a real TCP listener bound to eth20
 * and eth1 the way HAProxy binds by interface. infra1's container holds both VIPs. Traffic stays
 * inside the namespaces.
 */

export const LAB = {
  gateway: '203.0.113.129',
  externalVip: '203.0.113.140',
  internalVip: '172.29.236.9',
  hosts: ['infra1', 'infra2', 'infra3'],
} as const;

export interface LabContainer {
  readonly host: string;
  readonly name: string;
  readonly ns: string;
}

export interface NetnsLab {
  readonly switchNs: string;
  readonly containers: readonly LabContainer[];
  /** `ip -n <ns> <args>`; throws with ip's stderr on failure. */
  ip(ns: string, args: readonly string[]): void;
  /** Runs argv inside a namespace: the local stand-in for Ansible reaching a container. */
  runner(ns: string): CommandRunner;
  /**
   * verify's connections to the VIPs, made from the switch namespace (where the gateway is): the
   * test process's own namespace has no route into the lab, and must not send anything out.
   */
  probe(targets: readonly ServingTarget[]): Promise<ServingProbe[]>;
  destroy(): void;
}

const TIMEOUT_MS = 15_000;

/** Why the namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root (ip netns needs root)';
  for (const tool of ['ip', 'ss', 'ping', 'python3']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', timeout: TIMEOUT_MS });
    if (r.status !== 0) return `${tool} is not installed (iproute2, iputils-ping, python3)`;
  }
  const probe = `og12p${randomBytes(3).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: TIMEOUT_MS });
  if (add.status !== 0) return `cannot create a network namespace: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe], { timeout: TIMEOUT_MS });
  return undefined;
}

/**
 * netnsUnavailable, plus the real `ansible-playbook` the verify playbook runs on (Debian
 * ansible-core, which `.ci/run` installs): without it a root machine would run these tests and
 * fail them. CI cannot skip them silently: real-ansible.int.spec fails under CI=true without it.
 */
export function verifyPlaybookUnavailable(): string | undefined {
  const netns = netnsUnavailable();
  if (netns) return netns;
  const r = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8', timeout: TIMEOUT_MS });
  return r.status === 0
    ? undefined
    : 'ansible-playbook is not installed (Debian ansible-core; .ci/run installs it)';
}

// Binds like HAProxy's `bind *:<port> interface <iface>` (SO_BINDTODEVICE = 25 on Linux), then
// says "ready" and lives until its stdin closes or it is killed.
const LISTENER = `
import socket, sys
socks = []
for dev, port in (('eth20', 443), ('eth1', 5000)):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, 25, dev.encode())
    s.bind(('0.0.0.0', port))
    s.listen(8)
    socks.append(s)
print('ready', flush=True)
sys.stdin.read()
`;

export async function buildLab(): Promise<NetnsLab> {
  const prefix = `og12${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
  const switchNs = `${prefix}sw`;
  const containers: LabContainer[] = LAB.hosts.map((host, i) => ({
    host,
    name: `${host}-haproxy-container-0000000${i + 1}`,
    ns: `${prefix}c${i + 1}`,
  }));
  const created: string[] = [];
  const listeners: ChildProcess[] = [];
  const ip = (ns: string, args: readonly string[]) => {
    const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8', timeout: TIMEOUT_MS });
    if (r.status !== 0) throw new Error(`ip -n ${ns} ${args.join(' ')}: ${r.stderr.trim() || r.error}`);
  };
  const addNs = (ns: string) => {
    const r = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8', timeout: TIMEOUT_MS });
    if (r.status !== 0) throw new Error(`ip netns add ${ns}: ${r.stderr.trim()}`);
    created.push(ns);
    ip(ns, ['link', 'set', 'lo', 'up']);
  };
  const destroy = () => {
    for (const l of listeners) if (l.exitCode === null) l.kill('SIGKILL');
    for (const ns of created.splice(0)) spawnSync('ip', ['netns', 'del', ns], { timeout: TIMEOUT_MS });
  };

  try {
    addNs(switchNs);
    for (const [bridge, cidr] of [
      ['br-public-api', `${LAB.gateway}/28`],
      ['br-mgmt', '172.29.236.1/22'],
      ['lxcbr0', '10.0.3.1/24'],
    ] as const) {
      ip(switchNs, ['link', 'add', bridge, 'type', 'bridge']);
      ip(switchNs, ['addr', 'add', cidr, 'dev', bridge]);
      ip(switchNs, ['link', 'set', bridge, 'up']);
    }
    for (const [i, c] of containers.entries()) {
      addNs(c.ns);
      const n = i + 1;
      for (const [iface, bridge, peer, cidr] of [
        ['eth0', 'lxcbr0', `l${n}`, `10.0.3.${10 + n}/24`],
        ['eth1', 'br-mgmt', `m${n}`, `172.29.236.${100 + n}/22`],
        ['eth20', 'br-public-api', `p${n}`, `203.0.113.${130 + n}/28`],
      ] as const) {
        ip(switchNs, ['link', 'add', peer, 'type', 'veth', 'peer', 'name', iface, 'netns', c.ns]);
        ip(switchNs, ['link', 'set', peer, 'master', bridge, 'up']);
        ip(c.ns, ['addr', 'add', cidr, 'dev', iface]);
        ip(c.ns, ['link', 'set', iface, 'up']);
      }
      ip(c.ns, ['route', 'add', 'default', 'via', LAB.gateway, 'dev', 'eth20']);
      listeners.push(await startListener(c.ns));
    }
    ip(containers[0]!.ns, ['addr', 'add', `${LAB.externalVip}/32`, 'dev', 'eth20']);
    ip(containers[0]!.ns, ['addr', 'add', `${LAB.internalVip}/32`, 'dev', 'eth1']);
  } catch (e) {
    destroy();
    throw e;
  }

  return {
    switchNs,
    containers,
    ip,
    runner: (ns) => (argv) => runIn(ns, argv),
    probe: async (targets) => {
      const out = await runIn(switchNs, ['python3', '-c', PROBE, JSON.stringify(targets)]);
      return JSON.parse(out.stdout || '[]') as ServingProbe[];
    },
    destroy,
  };
}

// A TCP connection to each target (a TLS handshake where asked), 2 s each, from inside the lab.
const PROBE = `
import json, socket, ssl, sys
out = []
for t in json.loads(sys.argv[1]):
    r = {'vip': t['vip'], 'port': t['port'], 'connected': False}
    try:
        s = socket.create_connection((t['vip'], t['port']), timeout=2)
        r['connected'] = True
        if t['tls']:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.wrap_socket(s).close()
        s.close()
    except Exception as e:
        r['error'] = ('TLS handshake failed: ' if r['connected'] else 'connection failed: ') + str(e)
    out.append(r)
print(json.dumps(out))
`;

function startListener(ns: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', LISTENER], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`listener in ${ns} did not start within ${TIMEOUT_MS} ms: ${err}`));
    }, TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`listener in ${ns} exited (${code}): ${err}`));
    });
  });
}

/** `ip netns exec <ns> argv…` with a time limit; rc 255 when it could not run at all. */
function runIn(ns: string, argv: readonly string[]): Promise<CommandOutput> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ rc: 255, stdout: '' });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ rc: code ?? 255, stdout });
    });
  });
}

/** The site the lab stands for: the OSA guide's numbers (as environments/guide-lab). */
export function labDefinition(): EnvironmentInput {
  const host = (ip: string, mac: string) => ({
    ip,
    groups: ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'],
    bondMembers: { ens3: `${mac}:c8`, ens6: `${mac}:c9` },
  });
  return {
    name: 'guide-lab',
    routingDomain: 'lab',
    networks: {
      container: '172.29.236.0/22',
      tunnel: '172.29.240.0/22',
      storage: '172.29.244.0/22',
      public_api: '203.0.113.128/28',
    },
    reserved: { container: ['172.29.236.1-172.29.236.50'], public_api: ['203.0.113.140-203.0.113.142'] },
    providerNetworks: exampleProviderNetworks(),
    hostNetworking: { bond: { name: 'bond0' } },
    hosts: {
      infra1: host('172.29.236.11', 'd2:25:83:e1:77'),
      infra2: host('172.29.236.12', 'd2:25:83:e1:78'),
      infra3: host('172.29.236.13', 'd2:25:83:e1:79'),
    },
    haproxy: {
      publicNetwork: {
        cidrName: 'public_api',
        gateway: LAB.gateway,
        vlan: 40,
        bond: 'bond0',
        bridge: 'br-public-api',
        containerInterface: 'eth20',
      },
      vips: { external: LAB.externalVip, internal: LAB.internalVip },
      bind: 'interface',
    },
    deploy: { runnerLabel: 'osa-deploy-guide-lab' },
  };
}

/**
 * A stand-in OSA inventory (hosts.yml for the stand-in wrapper) whose `haproxy` group is the lab's
 * containers: Ansible runs each host's modules inside its namespace through the interpreter line,
 * the way OSA's connection plugin runs them inside a container. `nsOf` can point a host elsewhere.
 */
export function labInventory(
  lab: NetnsLab,
  nsOf: (i: number) => string = (i) => lab.containers[i]!.ns,
): string {
  const hosts = lab.containers
    .map(
      (c, i) =>
        `        ${c.name}:\n          physical_host: ${c.host}\n          ansible_python_interpreter: "ip netns exec ${nsOf(i)} /usr/bin/python3"\n`,
    )
    .join('');
  return `all:\n  vars:\n    ansible_connection: local\n  children:\n    haproxy:\n      hosts:\n${hosts}`;
}
