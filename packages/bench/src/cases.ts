import { type Environment, type EnvironmentInput, type RenderedTree } from '@osa-gitops/core';
import { validateEnvironment, validateFleet } from '@osa-gitops/rules';
import { renderEnvironment } from '@osa-gitops/render';
import { buildReport, formatReportMarkdown, type SiteTrees } from '@osa-gitops/report';
import { syntheticFleet, syntheticSite } from './fleet';

/**
 * The measured operations, each a function of its size parameters returning what it produced
 * (so the work cannot be optimised away and the caller can sanity-check it). Pure and in-process;
 * `run.ts` times them, each case in its own child process so peak memory is the case's own.
 */

export interface CaseResult {
  /** Something the case produced, to prove it did the work (files, issues, characters). */
  readonly produced: number;
}

function compile(fleet: readonly EnvironmentInput[]): Environment[] {
  return fleet.map((input) => {
    const r = validateEnvironment(input);
    if (!r.ok || !r.environment) throw new Error(`synthetic site ${input.name} is invalid`);
    return r.environment;
  });
}

/** Validate one site of `hosts` hosts (the per-keystroke cost in an editor or `nx affected`). */
export function validateOne(hosts: number): CaseResult {
  const r = validateEnvironment(syntheticSite(7, hosts));
  return { produced: r.issues.length + (r.ok ? 1 : 0) };
}

/** Validate and render one site: what `render <site>` costs once the definition is loaded. */
export function validateAndRenderOne(hosts: number): CaseResult {
  const r = validateEnvironment(syntheticSite(7, hosts));
  return { produced: renderEnvironment(r.environment!).size };
}

/** The whole fleet: validate every site, the fleet checks, render every site. */
export function fleetValidateRender(sites: number, hosts?: number): CaseResult {
  const envs = compile(syntheticFleet(sites, hosts === undefined ? {} : { hosts }));
  const fleetIssues = validateFleet(envs);
  if (fleetIssues.length > 0) throw new Error(`synthetic fleet has ${fleetIssues.length} fleet issues`);
  let files = 0;
  for (const env of envs) files += renderEnvironment(env).size;
  return { produced: files };
}

/** Only the cross-site checks, on already-parsed sites. */
export function fleetChecksOnly(envs: readonly Environment[]): CaseResult {
  return { produced: validateFleet(envs).length + envs.length };
}

/** A changed copy of a fleet: every second site moves its external VIP, every third its VLAN. */
export function changedFleet(sites: number): EnvironmentInput[] {
  return syntheticFleet(sites, { hosts: 10 }).map((site, i) => {
    const next = structuredClone(site);
    if (i % 2 === 0) {
      const [a, b, c, d] = next.haproxy.vips.external.split('.').map(Number);
      next.haproxy.vips.external = `${a}.${b}.${c}.${d! + 1}`;
    }
    if (i % 3 === 0) next.haproxy.publicNetwork.vlan += 1;
    return next;
  });
}

export function renderFleet(fleet: readonly EnvironmentInput[]): RenderedTree[] {
  return compile(fleet).map((env) => renderEnvironment(env));
}

/** Diff two fleets' rendered trees and classify the network changes (the PR report's model). */
export function diffFleets(before: readonly RenderedTree[], after: readonly RenderedTree[]): SiteTrees[] {
  return before.map((b, i) => ({ site: `site-${String(i).padStart(4, '0')}`, before: b, after: after[i]! }));
}

export function reportAndMarkdown(pairs: readonly SiteTrees[]): CaseResult {
  const report = buildReport(pairs, { base: 'main', head: 'HEAD' });
  return { produced: formatReportMarkdown(report).length };
}
