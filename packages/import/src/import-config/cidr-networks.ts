// Reads cidr_networks: the networks by name; a value that is not one CIDR is reported and left out.
import { isMapping } from '../config-dir';
import { finding, ImportInputError } from '../findings';
import type { Emit } from './types';

export function readCidrNetworks(
  config: Record<string, unknown>,
  originOf: (p: string[]) => string,
  once: Emit,
): Record<string, string> {
  const cidrRaw = config.cidr_networks;
  if (!isMapping(cidrRaw) || Object.keys(cidrRaw).length === 0) {
    throw new ImportInputError(
      'no cidr_networks mapping: OSA stops with "No container CIDR specified in user config"',
      originOf(['cidr_networks']),
    );
  }
  const networks: Record<string, string> = {};
  for (const [name, cidr] of Object.entries(cidrRaw)) {
    if (typeof cidr === 'string') networks[name] = cidr;
    else
      once(
        finding(
          'IMPORT_LEFT_OUT',
          originOf(['cidr_networks', name]),
          ['cidr_networks', name],
          `${JSON.stringify(cidr)} is not one CIDR (OSA crashes on a list)`,
          'not imported',
        ),
      );
  }
  return networks;
}
