import { issue, type Issue, isPlaceholder, PLACEHOLDER_KEY, resolvePlaceholders } from '@osa-gitops/core';
import { quote } from './context';
import type { PlainData } from './plain-data';

/**
 * Placeholders (core's model/placeholder.ts): a scaffold marks every value only the site's plan
 * knows with `placeholder(…)`. Each one is PLACEHOLDER, an error, at its own path (so at its line
 * in the file), and the rest of validation runs on the values they hold, so the scaffold's other
 * findings show too and nothing but the placeholders blocks it. This runs first, on the plain copy.
 */
export function checkPlaceholders(data: PlainData): {
  /** The data with each placeholder replaced by the value it holds. */
  readonly data: PlainData;
  /** One PLACEHOLDER per placeholder, for the site (named once the data is resolved). */
  issues(site: string): Issue[];
} {
  const resolved = resolvePlaceholders(data);
  if (resolved.paths.length === 0) return { data, issues: () => [] };
  const issues = (site: string) =>
    resolved.paths.map((path) =>
      issue(
        'PLACEHOLDER',
        site,
        path,
        `placeholder ${describe(valueAt(data, path))} from the scaffold is still here; expected the site's own value: write it in place of placeholder(…)`,
      ),
    );
  return { data: resolved.value as PlainData, issues };
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const seg of path) {
    while (isPlaceholder(cur)) cur = cur[PLACEHOLDER_KEY];
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  while (isPlaceholder(cur)) cur = cur[PLACEHOLDER_KEY];
  return cur;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}
