import { ipv4 } from '@osa-gitops/core';

const { contains, formatAddress, parseAddress, parseCidr } = ipv4;
type Cidr = ipv4.Cidr;
import { finding, type ImportFinding } from './findings';

/**
 * `used_ips` → the definition's `reserved`, by network. OSA (`osa_toolkit/ip.py: set_used_ips`
 * @ openstack-ansible ff08037) splits each entry on `,`: two or more parts are the inclusive range
 * from the first to the last part, anything else is one literal address. So `a-b` and a CIDR
 * reserve nothing, and `a, b` with a space crashes the generator. Each of those is imported as
 * what it plainly means (the definition renders it in the comma form OSA reads), with a finding.
 */
export function importUsedIps(
  usedIps: unknown,
  networks: Readonly<Record<string, string>>,
  file: string,
): { reserved: Record<string, string[]>; findings: ImportFinding[] } {
  const findings: ImportFinding[] = [];
  const reserved: Record<string, string[]> = {};
  if (usedIps === undefined || usedIps === null) return { reserved, findings };
  if (!Array.isArray(usedIps)) {
    findings.push(
      finding('IMPORT_LEFT_OUT', file, ['used_ips'], 'used_ips is not a list', 'nothing reserved from it'),
    );
    return { reserved, findings };
  }
  const cidrs: [string, Cidr][] = [];
  for (const name of Object.keys(networks).sort()) {
    const parsed = parseCidr(networks[name]!);
    if (parsed.ok) cidrs.push([name, parsed.cidr]);
  }

  usedIps.forEach((raw, i) => {
    const path = ['used_ips', i];
    if (typeof raw !== 'string') {
      findings.push(
        finding('IMPORT_LEFT_OUT', file, path, `${JSON.stringify(raw)} is not a string`, 'not reserved'),
      );
      return;
    }
    const range = readEntry(raw, file, path, findings);
    if (range === undefined) return;
    const home = cidrs.find(([, c]) => contains(c, range.first) && contains(c, range.last));
    if (home === undefined) {
      findings.push(
        finding(
          'IMPORT_LEFT_OUT',
          file,
          path,
          `${raw} is not inside one of the cidr_networks, so no container can be given it anyway`,
          'not imported (the definition lists reserved addresses per network)',
        ),
      );
      return;
    }
    const text =
      range.first === range.last
        ? formatAddress(range.first)
        : `${formatAddress(range.first)}-${formatAddress(range.last)}`;
    (reserved[home[0]] ??= []).push(text);
  });
  return { reserved, findings };
}

interface Range {
  readonly first: number;
  readonly last: number;
}

function readEntry(
  raw: string,
  file: string,
  path: (string | number)[],
  findings: ImportFinding[],
): Range | undefined {
  const single = parseAddress(raw);
  if (single !== undefined) return { first: single, last: single };

  if (raw.includes(',')) {
    const parts = raw.split(',');
    const first = parseAddress(parts[0]!.trim());
    const last = parseAddress(parts[parts.length - 1]!.trim());
    if (first === undefined || last === undefined || first > last)
      return unreadable(raw, file, path, findings);
    if (parts.some((p) => p !== p.trim())) {
      findings.push(
        finding(
          'IMPORT_USED_IPS_SPACE',
          file,
          path,
          `"${raw}" has a space beside the comma: OSA's inventory generator stops with AddrFormatError on it`,
          `imported as the range ${formatAddress(first)}-${formatAddress(last)} (rendered "${formatAddress(first)},${formatAddress(last)}")`,
        ),
      );
    }
    return { first, last };
  }

  const dash = raw.split('-');
  if (dash.length === 2) {
    const first = parseAddress(dash[0]!.trim());
    const last = parseAddress(dash[1]!.trim());
    if (first !== undefined && last !== undefined && first <= last) {
      findings.push(
        finding(
          'IMPORT_USED_IPS_DASH_RANGE',
          file,
          path,
          `"${raw}" reserves nothing: OSA reads one address or "first,last", so every address of this range can be handed to a container (a VIP among them)`,
          `imported as the range ${formatAddress(first)}-${formatAddress(last)}; the rendered used_ips reserves it as "${formatAddress(first)},${formatAddress(last)}"`,
        ),
      );
      return { first, last };
    }
  }

  if (raw.includes('/')) {
    const parsed = parseCidr(raw.trim());
    const cidr = parsed.ok ? parsed.cidr : undefined;
    if (cidr !== undefined) {
      findings.push(
        finding(
          'IMPORT_USED_IPS_CIDR',
          file,
          path,
          `"${raw}" reserves nothing: OSA does not read CIDRs in used_ips, so its addresses can be handed to containers`,
          `imported as the range ${formatAddress(cidr.first)}-${formatAddress(cidr.last)}; the rendered used_ips reserves it`,
        ),
      );
      return { first: cidr.first, last: cidr.last };
    }
  }
  return unreadable(raw, file, path, findings);
}

function unreadable(
  raw: string,
  file: string,
  path: (string | number)[],
  findings: ImportFinding[],
): undefined {
  findings.push(
    finding(
      'IMPORT_LEFT_OUT',
      file,
      path,
      `${JSON.stringify(raw)} is neither an address nor a range OSA or the definition can read`,
      'not reserved',
    ),
  );
  return undefined;
}
