import { issue, type Issue } from '@osa-gitops/core';
import type { PlainData } from './plain-data';

/**
 * Cheap caps checked on the raw input before any rule that is more than linear. The schema caps
 * list lengths but not record sizes; these bound the records that rules iterate.
 */
export const MAX_HOSTS = 5000;
/** `networks` and `reserved` are keyed by network; the schema allows 64 provider networks too. */
export const MAX_NETWORKS = 64;

const LIMITS: readonly (readonly [key: string, max: number, what: string])[] = [
  ['hosts', MAX_HOSTS, 'hosts'],
  ['networks', MAX_NETWORKS, 'networks'],
  ['reserved', MAX_NETWORKS, 'reserved networks'],
];

export function checkSize(data: PlainData, site: string): Issue[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const issues: Issue[] = [];
  for (const [key, max, what] of LIMITS) {
    const value = data[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const count = Object.keys(value).length;
    if (count > max) {
      issues.push(issue('TOO_LARGE', site, [key], `${count} ${what}; expected at most ${max}`));
    }
  }
  return issues;
}
