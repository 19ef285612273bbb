// Refuses a merged user config with top-level keys other than cidr_networks, used_ips, global_overrides and
// <group>_hosts.
import { ImportInputError } from '../findings';

export function checkTopLevel(config: Record<string, unknown>, originOf: (p: string[]) => string): void {
  const unknown = Object.keys(config).filter(
    (k) => !['cidr_networks', 'used_ips', 'global_overrides'].includes(k) && !k.endsWith('hosts'),
  );
  if (unknown.length > 0) {
    const where = [...new Set(unknown.map((k) => originOf([k])))].join(', ');
    throw new ImportInputError(
      `unknown top-level key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} in ${where}: expected cidr_networks, used_ips, global_overrides and <group>_hosts groups only`,
    );
  }
}
