import {
  chainSiteFromEnvironment,
  formatHostChains,
  hostChains,
  type BridgeSource,
  type HostChain,
} from '@osa-gitops/report';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { formatIssuesForTerminal, issueToJson } from '../terminal/issues';
import { styleFor } from '../terminal/style';
import { UsageError } from '../usage-error';
import { compileWithProgress } from './validate';

export const EXPLAIN_HELP = `Usage: osa-gitops explain <site> [host...] [--json]

Per host of a site, the whole chain a container's traffic takes: NIC → bond → VLAN → bridge →
container interface → network / VIP, for every bridge the host builds, declares
(hostNetworking.externalBridges) or needs. Which bridges a host needs is derived from OSA's
env.d and the provider networks' group_binds (docs/host-bridges.md). ✖ marks a needed bridge
nothing builds, ⚠ a built bridge nothing uses. The site's validation issues are printed first.

Options:
  --json      { schemaVersion: 1, command: "explain", site, ok, issues, hosts } (docs/cli.md)
  -h, --help  show this help

Exit codes: 0 explained (even with validation issues), 1 the site does not exist, load or parse,
2 usage error (no site, unknown host).
`;

export async function runExplain(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('explain', args, {});
  if (values.help) {
    io.stdout(EXPLAIN_HELP);
    return EXIT.ok;
  }
  const [site, ...hosts] = positionals;
  if (site === undefined) throw new UsageError('expected a site name', 'explain');
  const ws = await compileWithProgress(io, [site]);
  const compiled = ws.sites.find((s) => s.site === site);
  // compileWorkspace reports an unknown site as LOAD_FAILED (no definition file), handled below.
  if (compiled === undefined) throw new UsageError(`unknown site "${site}"`, 'explain');
  const env = compiled.environment;
  const issues = [...compiled.issues, ...ws.fleetIssues];
  if (env === undefined) {
    // Not even shape-valid: nothing to explain, only why.
    if (values.json) io.stdout(`${JSON.stringify(toJson(site, issues, []), null, 2)}\n`);
    else io.stderr(`${formatIssuesForTerminal(issues, styleFor(io))}\n`);
    return EXIT.failed;
  }
  const unknown = hosts.filter((h) => !Object.hasOwn(env.hosts, h));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown host(s) ${unknown.map((h) => `"${h}"`).join(', ')} in site ${site}; expected one of: ${Object.keys(env.hosts).sort().join(', ')}`,
      'explain',
    );
  }
  const chains = hostChains(chainSiteFromEnvironment(env), hosts.length > 0 ? hosts : undefined);
  if (values.json) {
    io.stdout(`${JSON.stringify(toJson(site, issues, chains), null, 2)}\n`);
  } else {
    const style = styleFor(io);
    const out: string[] = [];
    if (issues.length > 0) out.push(formatIssuesForTerminal(issues, style), '');
    out.push(...formatHostChains(chains));
    io.stdout(`${out.join('\n')}\n`);
  }
  return EXIT.ok;
}

function toJson(site: string, issues: Parameters<typeof issueToJson>[0][], hosts: readonly HostChain[]) {
  return {
    schemaVersion: 1 as const,
    command: 'explain' as const,
    site,
    ok: !issues.some((i) => i.severity === 'error'),
    issues: issues.map(issueToJson),
    hosts: hosts.map(hostToJson),
  };
}

/** docs/cli.md: optional values are null in JSON, never missing. */
function hostToJson(h: HostChain) {
  return {
    host: h.host,
    ip: h.ip ?? null,
    groups: h.groups,
    modelled: h.modelled,
    containers: h.containers,
    metalComponents: h.metalComponents,
    bridges: h.bridges.map((b) => ({
      bridge: b.bridge,
      status: b.status,
      source: sourceToJson(b.source),
      uses: b.uses.map((u) => ({
        members: u.members,
        interface: u.interface ?? null,
        key: u.key,
        network: u.network,
        cidr: u.cidr ?? null,
        address: u.address ?? null,
        vips: u.vips,
        defaultGateway: u.defaultGateway ?? null,
        bindOverride: u.bindOverride ?? null,
      })),
    })),
  };
}

function sourceToJson(s: BridgeSource) {
  switch (s.kind) {
    case 'bond-vlan':
      return {
        kind: s.kind,
        nics: s.nics.map((n) => ({ nic: n.nic, mac: n.mac ?? null })),
        bond: s.bond ?? null,
        vlan: s.vlan,
        vlanId: s.vlanId ?? null,
        address: s.address ?? null,
        gateway: s.gateway ?? null,
      };
    case 'external':
      return { kind: s.kind, interface: s.interface ?? null, hostIp: s.hostIp };
    default:
      return { kind: s.kind };
  }
}
