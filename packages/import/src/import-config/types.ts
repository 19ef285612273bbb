// Types the steps share: the options and result of importConfigDir, the finding sink, an imported host.
import type { EnvironmentInput } from '@osa-gitops/core';
import type { ImportFinding } from '../findings';
import type { layerOf } from '../variables';

export interface ImportOptions {
  /** The site name the definition gets (checked by the caller against existing sites). */
  readonly site: string;
}

/** networkd file stems found on one host: interface/netdev name → stems. */
export type HostFilenames = ReadonlyMap<string, { readonly netdev?: string; readonly network?: string }>;

export interface ImportResult {
  /** The definition, as plain data (what `environment.ts` evaluates to). */
  readonly input: EnvironmentInput;
  /** Sorted findings. */
  readonly findings: readonly ImportFinding[];
  /** Per host, the networkd file stems its items use today (only where they differ from ours). */
  readonly filenames: ReadonlyMap<string, HostFilenames>;
}

export type Emit = (f: ImportFinding) => void;

export interface ImportedHost {
  ip: string;
  managementIp?: string;
  groups: string[];
  affinity?: Record<string, number>;
  hostVars?: ReturnType<typeof layerOf>;
}
