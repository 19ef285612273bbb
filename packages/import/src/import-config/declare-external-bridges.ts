// Declares the bridges the containers use that the imported networkd lists do not build
// (hostNetworking.externalBridges).
import { EnvironmentSchema, hostBridgeNeeds, type EnvironmentInput } from '@osa-gitops/core';
import { finding, type ImportFinding } from '../findings';

/**
 * A running site's hosts have every bridge its containers use. One the imported networkd lists do
 * not build (often br-mgmt on its own NIC, set up outside OSA's variables) is built elsewhere on
 * the hosts, so the definition declares it in `hostNetworking.externalBridges` (declared, never
 * rendered) instead of reporting it as missing, and the import says so.
 */
export function declareExternalBridges(input: EnvironmentInput, once: (f: ImportFinding) => void): void {
  const parsed = EnvironmentSchema.safeParse(input);
  if (!parsed.success) return;
  const env = parsed.data;
  const built = new Set<string>([
    ...(env.hostNetworking.vlans ?? []).map((v) => v.bridge),
    env.haproxy.publicNetwork.bridge,
  ]);
  const bonded = Object.entries(env.hosts)
    .filter(([, h]) => h.bondMembers !== undefined && Object.keys(h.bondMembers).length > 0)
    .map(([name]) => name);
  if (bonded.length === 0) return;
  const missing = new Map<string, string[]>();
  for (const [host, needs] of hostBridgeNeeds(env)) {
    if (!bonded.includes(host)) continue;
    for (const bridge of needs.bridges.keys())
      if (!built.has(bridge)) missing.set(bridge, [...(missing.get(bridge) ?? []), host]);
  }
  if (missing.size === 0) return;
  const hostIpOnVlan = (env.hostNetworking.vlans ?? []).some((v) => v.address === 'host-ip');
  const externalBridges = [...missing.keys()].sort().map((bridge) => ({
    bridge,
    ...(bridge === env.managementBridge && !hostIpOnVlan ? { address: 'host-ip' as const } : {}),
  }));
  input.hostNetworking = { ...input.hostNetworking, externalBridges };
  for (const { bridge } of externalBridges) {
    once(
      finding(
        'IMPORT_ADDED',
        'openstack_user_config.yml',
        ['global_overrides', 'provider_networks'],
        `bridge ${bridge} is used by containers on ${missing.get(bridge)!.join(', ')}, but the imported networkd lists do not build it`,
        `declared in hostNetworking.externalBridges as built outside osa-gitops; check that it exists on those hosts`,
      ),
    );
  }
}
