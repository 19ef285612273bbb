import type { DeployPlan } from './types';

/**
 * Each explanation (why a stage runs, why a manual step is needed) is said once per plan: the
 * first site in plan order carries it, the others refer to that site. A fleet-wide change would
 * otherwise repeat the same sentences for every site. Returns, per explanation text, the site
 * that says it.
 */
export function noteOwners(plan: DeployPlan): ReadonlyMap<string, string> {
  const owner = new Map<string, string>();
  for (const step of plan.steps) {
    for (const text of [...step.stages.map((s) => s.why), ...step.manual.map((m) => m.why)]) {
      if (!owner.has(text)) owner.set(text, step.site);
    }
  }
  return owner;
}
