// Merges the per-host findings about one shared source into one finding naming the hosts.
import type { ImportFinding } from '../findings';

/**
 * Per-host findings about one shared source (a global variable builds every host's lists) are
 * merged into one naming the hosts: `infra1, infra2: MIIMonitorSec: 100 …`.
 */
export function mergeHostFindings(
  findings: readonly ImportFinding[],
  hosts: readonly string[],
): ImportFinding[] {
  const known = new Set(hosts);
  const groups = new Map<string, { first: ImportFinding; rest: string; hosts: string[] }>();
  const out: ImportFinding[] = [];
  for (const f of findings) {
    const colon = f.message.indexOf(': ');
    const host = colon > 0 ? f.message.slice(0, colon) : '';
    if (!known.has(host)) {
      out.push(f);
      continue;
    }
    const rest = f.message.slice(colon + 2);
    const key = JSON.stringify([f.code, f.file, f.path, rest, f.action]);
    const g = groups.get(key);
    if (g) g.hosts.push(host);
    else groups.set(key, { first: f, rest, hosts: [host] });
  }
  for (const g of groups.values()) out.push({ ...g.first, message: `${g.hosts.join(', ')}: ${g.rest}` });
  return out;
}
