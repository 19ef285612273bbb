import {
  type Environment,
  EnvironmentValidationError,
  hasErrors,
  issue,
  type Issue,
  sortIssues,
} from '@osa-gitops/core';
import { checkAddresses } from './addresses';
import { checkBondVlans } from './bond-vlans';
import { checkCapacity } from './capacity';
import { checkCollisions } from './collisions';
import { createSiteContext, type SiteRule } from './context';
import { checkDurations } from './durations';
import { checkGateways } from './gateways';
import { checkExternalBridges } from './external-bridges';
import { checkGroups } from './groups';
import { checkHostBridges } from './host-bridges';
import { checkHosts } from './hosts';
import { checkHostNetdevNames } from './host-netdev-names';
import { checkInterfaces } from './interfaces';
import { checkKeepalived } from './keepalived';
import { checkNames } from './naming';
import { checkNetworkdFilenames } from './networkd-filenames';
import { checkPlaceholders } from './placeholders';
import { copyPlainData, type PlainData } from './plain-data';
import { checkProviderNetworkRanges } from './provider-network-range';
import { checkProviderNetworks } from './provider-networks';
import { checkPrototypeKeys } from './prototype-keys';
import { checkReferences } from './references';
import { checkReservations } from './reservations';
import { checkReservedNames } from './reserved-names';
import { checkRouterIdsInUse } from './router-ids-in-use';
import { parseShape } from './shape';
import { checkSize } from './size-guard';
import { checkTextSafety } from './text-safety';
import { checkVips } from './vips';
import { checkVlanAndMacs } from './vlan-mac';

export interface ValidateOptions {
  /** Site name used in issues. @default the input's `name` if it is a string, else `?` */
  readonly site?: string;
}

/**
 * `ok: true` carries the zod-parsed definition (defaults applied) and warnings at most;
 * `ok: false` carries at least one error, and the definition too whenever its shape was valid
 * (the CLI still explains a site whose rules failed). Issues are sorted with `sortIssues`.
 */
export type ValidationResult =
  | { readonly ok: true; readonly environment: Environment; readonly issues: Issue[] }
  | { readonly ok: false; readonly environment?: Environment; readonly issues: Issue[] };

/** Semantic rules, each one file; they run on a shape-valid definition only. */
const SITE_RULES: readonly SiteRule[] = [
  checkNames,
  checkAddresses,
  checkGateways,
  checkVips,
  checkCollisions,
  checkReservations,
  checkCapacity,
  checkReferences,
  checkGroups,
  checkProviderNetworks,
  checkProviderNetworkRanges,
  checkInterfaces,
  checkVlanAndMacs,
  checkDurations,
  checkBondVlans,
  checkExternalBridges,
  checkHostBridges,
  checkHosts,
  checkReservedNames,
  checkKeepalived,
  checkRouterIdsInUse,
  checkNetworkdFilenames,
  checkHostNetdevNames,
];

/**
 * Validate one site definition. Never throws, whatever the input: it is first copied as plain
 * data (plain-data.ts), so getters, Proxies, cycles and huge inputs become issues.
 */
export function validateEnvironment(input: unknown, opts: ValidateOptions = {}): ValidationResult {
  try {
    return run(input, opts);
  } catch (err) {
    // Every rule is total over a parsed Environment; reaching this is a bug in a rule, not in the
    // definition. Report it under its own code instead of breaking the caller's contract (a CLI
    // run over many sites), and without blaming the input's shape.
    const site = opts.site ?? '?';
    const detail = err instanceof Error ? err.message : 'unknown error';
    return {
      ok: false,
      issues: [
        issue(
          'INTERNAL_ERROR',
          site,
          [],
          `validation failed internally (${detail}); expected every rule to finish: please report this with the definition`,
        ),
      ],
    };
  }
}

function run(input: unknown, opts: ValidateOptions): ValidationResult {
  const copy = copyPlainData(input);
  if (!copy.ok) {
    // Not plain data: nothing after this could read it safely, so these are the only issues.
    const site = opts.site ?? rawSiteName(input);
    const issues = copy.failures.map((f) =>
      f.kind === 'too-large'
        ? issue(
            'TOO_LARGE',
            site,
            f.path,
            `${f.detail}; expected a definition within the model's size limits`,
          )
        : issue(
            'SCHEMA_INVALID',
            site,
            f.path,
            `${f.detail}; expected plain data (strings, numbers, booleans, arrays, objects)`,
          ),
    );
    return { ok: false, issues: sortIssues(issues) };
  }
  // A scaffold's placeholders are reported, then validated as the values they hold.
  const placeholders = checkPlaceholders(copy.value);
  const data = placeholders.data;
  const site = opts.site ?? siteName(data);

  const issues: Issue[] = [
    ...placeholders.issues(site),
    ...checkSize(data, site),
    ...checkTextSafety(data, site),
    ...checkPrototypeKeys(data, site),
  ];
  const tooLarge = issues.some((i) => i.code === 'TOO_LARGE');
  const shape = parseShape(data, site);
  for (const i of shape.issues) issues.push(i); // not push(...): a spread of many issues overflows the stack
  if (shape.environment !== undefined && !tooLarge) {
    const ctx = createSiteContext(shape.environment, site, issues);
    for (const rule of SITE_RULES) rule(ctx);
  }
  const sorted = sortIssues(issues);
  // A definition without a valid shape always has an error issue, so `ok` implies `environment`.
  if (!hasErrors(sorted) && shape.environment !== undefined) {
    return { ok: true, environment: shape.environment, issues: sorted };
  }
  return {
    ok: false,
    ...(shape.environment !== undefined ? { environment: shape.environment } : {}),
    issues: sorted,
  };
}

/** `input.name` when it is a plain string property; never throws (the input is hostile here). */
function rawSiteName(input: unknown): string {
  try {
    if (typeof input !== 'object' || input === null) return '?';
    const desc = Object.getOwnPropertyDescriptor(input, 'name');
    return typeof desc?.value === 'string' ? desc.value : '?';
  } catch {
    return '?';
  }
}

function siteName(data: PlainData): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return '?';
  const name = data.name;
  return typeof name === 'string' ? name : '?';
}

/** The throwing flavour: the parsed definition, or EnvironmentValidationError with every issue. */
export function validateEnvironmentOrThrow(input: unknown, opts: ValidateOptions = {}): Environment {
  const result = validateEnvironment(input, opts);
  if (!result.ok) throw new EnvironmentValidationError(result.issues);
  return result.environment;
}
