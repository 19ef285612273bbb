import { issue, type Issue } from '@osa-gitops/core';
import type { PlainData } from './plain-data';

/**
 * An own key named `__proto__` survives the plain-data copy (it is defined, not assigned), but
 * zod's `z.record` assigns `result[key] = …`, which sets the record's prototype instead: a host
 * called `__proto__` would vanish from validation and render without a word. Reject it on the raw
 * input, where it is still visible (found by the hostile-input corpus).
 */
export function checkPrototypeKeys(data: PlainData, site: string): Issue[] {
  const issues: Issue[] = [];
  const walk = (value: PlainData, path: (string | number)[]): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') {
        const underHosts = path.length === 1 && path[0] === 'hosts';
        issues.push(
          underHosts
            ? issue(
                'HOST_NAME_INVALID',
                site,
                [...path, key],
                'host name "__proto__" is not a lowercase RFC 1123 host name; expected letters, digits and dashes',
              )
            : issue(
                'NAME_INVALID',
                site,
                [...path, key],
                'the key "__proto__" is not allowed; expected a name matching its strict pattern',
              ),
        );
      }
      walk((value as Record<string, PlainData>)[key]!, [...path, key]);
    }
  };
  walk(data, []);
  return issues;
}
