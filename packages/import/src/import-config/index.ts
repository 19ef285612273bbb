// importConfigDir: adopts a live OSA config dir, files in, definition and findings out. It runs the steps
// in order (each in its own file here) and assembles the definition.
import type { EnvironmentInput } from '@osa-gitops/core';
import { isMapping, parseConfigDir, type ConfigFile } from '../config-dir';
import { sortFindings, type ImportFinding } from '../findings';
import { importProviderNetworks } from '../provider-networks';
import { importUsedIps } from '../used-ips';
import { haproxyScope, layerOf } from '../variables';
import { aggregateNetworking } from './aggregate-networking';
import { carryFilenames } from './carry-filenames';
import { checkEnvD } from './check-env-d';
import { checkLxcNetwork } from './check-lxc-network';
import { checkTopLevel } from './check-top-level';
import { readCidrNetworks } from './cidr-networks';
import { declareExternalBridges } from './declare-external-bridges';
import { definitionHosts } from './definition-hosts';
import { hostFilenames } from './foreign-filenames';
import { checkGlobalOverrides } from './global-overrides';
import { readHostNetworking } from './host-networking';
import { mergeHostFindings } from './merge-host-findings';
import { mergeUserConfig } from './merge-user-config';
import { pickPublicNetwork } from './pick-public-network';
import { readHaproxy } from './read-haproxy';
import { readHosts } from './read-hosts';
import { reportFilenames } from './report-filenames';
import { reportSuperseded } from './report-superseded';
import type { ImportOptions, ImportResult } from './types';

export type { HostFilenames, ImportOptions, ImportResult } from './types';

/**
 * An existing OSA config dir → a site definition and findings. Pure: the caller reads the files
 * (`openstack_user_config.yml`, `conf.d/`, `env.d/`, `user_*.yml`, `group_vars/`, `host_vars/`)
 * and writes the result. Reads YAML only; Jinja is never evaluated (see `jinja.ts` for the shapes
 * it recognises). Throws ImportInputError when the input is not a config dir it can read: then
 * nothing must be written.
 */
export function importConfigDir(files: readonly ConfigFile[], opts: ImportOptions): ImportResult {
  const dir = parseConfigDir(files);
  const findings: ImportFinding[] = [...dir.findings];
  const seen = new Set<string>();
  const once = (f: ImportFinding) => {
    const key = JSON.stringify([f.code, f.file, f.path, f.message]);
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(f);
    }
  };

  const { config, originOf } = mergeUserConfig(dir, once);
  checkTopLevel(config, originOf);

  const networks = readCidrNetworks(config, originOf, once);

  const { reserved, findings: ipFindings } = importUsedIps(config.used_ips, networks, originOf(['used_ips']));
  ipFindings.forEach(once);

  // global_overrides.
  const globals = isMapping(config.global_overrides) ? config.global_overrides : {};
  const globalsFile = originOf(['global_overrides']);
  checkGlobalOverrides(globals, originOf, once);
  const managementBridge =
    typeof globals.management_bridge === 'string' ? globals.management_bridge : undefined;
  const pn = importProviderNetworks(
    globals.provider_networks,
    originOf(['global_overrides', 'provider_networks']),
    ['global_overrides', 'provider_networks'],
  );
  pn.findings.forEach(once);
  const publicNet = pickPublicNetwork(pn.networks, once);

  // Hosts.
  const hosts = readHosts(config, originOf, once);
  const globalLayer = layerOf(globalsFile, ['global_overrides'], globals);

  // Host networking, per host.
  const { nets, netSource, consumed } = readHostNetworking(dir, hosts, globalLayer, publicNet, once);
  const hostNetworking = aggregateNetworking(hosts, nets, netSource, once);

  // HAProxy and keepalived, as the haproxy containers see them.
  const hscope = haproxyScope(dir, globalLayer);
  const unreadable = findings.some((f) => f.code === 'IMPORT_JINJA_UNRESOLVED');
  const read = readHaproxy(hscope, pn.networks, publicNet, hostNetworking.public, once, unreadable);
  // A ping address equal to the one render derives (the management VLAN's gateway) is not a choice.
  const mgmtGateway = hostNetworking.vlans.find((v) => v.address === 'host-ip')?.gateway;
  const { internalPingAddress, ...keepalived } = read.keepalived ?? {};
  const haproxy =
    internalPingAddress !== undefined && internalPingAddress === mgmtGateway ? { ...read, keepalived } : read;
  checkLxcNetwork(hscope, once);
  checkEnvD(dir, once);
  reportSuperseded(dir, config, originOf, consumed, once);

  const hostsOut = definitionHosts(hosts, hostNetworking);

  const input: EnvironmentInput = {
    name: opts.site,
    description: 'Imported by osa-gitops import',
    networks,
    ...(Object.keys(reserved).length > 0 ? { reserved } : {}),
    ...(managementBridge !== undefined ? { managementBridge } : {}),
    providerNetworks: pn.networks.filter((n) => n !== publicNet).map((n) => n.net),
    hostNetworking: {
      ...(hostNetworking.bond !== undefined ? { bond: hostNetworking.bond as never } : {}),
      ...(hostNetworking.vlans.length > 0 ? { vlans: hostNetworking.vlans } : {}),
    },
    hosts: hostsOut,
    haproxy,
    deploy: {
      runnerLabel: `osa-deploy-${opts.site}`,
      configDir: '/etc/openstack_deploy',
      osaDir: '/opt/openstack-ansible',
    },
  };
  const filenames = hostFilenames(nets);
  carryFilenames(input, nets);
  reportFilenames(filenames, netSource, once);
  declareExternalBridges(input, once);
  return { input, findings: sortFindings(mergeHostFindings(findings, [...hosts.keys()])), filenames };
}
