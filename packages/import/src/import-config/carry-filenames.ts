// Carries the hosts' existing networkd file names into the definition (networkdFilenames).
import { EnvironmentSchema, defaultNetworkdStem, hostNetdevs, type EnvironmentInput } from '@osa-gitops/core';
import type { HostNetworkd } from '../networkd';

/**
 * The networkd file names the hosts have today, taken over in the definition
 * (`hostNetworking.networkdFilenames`, per host `networkdFilenames`) for every interface the
 * definition renders on that host, so the next apply overwrites those files instead of adding
 * rivals beside them. One stem per interface is rendered for all its files: where a host's
 * `.netdev` and `.network` stems differ (the guide's `05-generic-bond0` / `05-general-bond0`),
 * the `.network` one is taken (systemd applies the first matching `.network`; ours for the
 * `.netdev` sorts before the old one and wins). A name whose stem is the same on every host that
 * renders it goes site-wide; the rest per host.
 */
export function carryFilenames(input: EnvironmentInput, nets: ReadonlyMap<string, HostNetworkd>): void {
  const parsed = EnvironmentSchema.safeParse(input);
  if (!parsed.success) return;
  const byName = new Map<string, { host: string; stem: string | undefined }[]>();
  for (const host of Object.keys(input.hosts)) {
    const net = nets.get(host);
    for (const d of hostNetdevs(parsed.data, host)) {
      const s = net?.filenames.get(d.name);
      const found = s?.network ?? s?.netdev;
      const stem = found !== undefined && found !== defaultNetworkdStem(d.order, d.name) ? found : undefined;
      byName.set(d.name, [...(byName.get(d.name) ?? []), { host, stem }]);
    }
  }
  const site: Record<string, string> = {};
  for (const [name, uses] of byName) {
    const stems = new Set(uses.map((u) => u.stem));
    const only = [...stems][0];
    if (stems.size === 1 && only !== undefined) {
      site[name] = only;
      continue;
    }
    for (const u of uses) {
      if (u.stem === undefined) continue;
      const h = input.hosts[u.host]!;
      h.networkdFilenames = { ...h.networkdFilenames, [name]: u.stem };
    }
  }
  if (Object.keys(site).length > 0) {
    input.hostNetworking = { ...input.hostNetworking, networkdFilenames: site };
  }
}
