import { issue, type Issue } from '@osa-gitops/core';
import type { PlainData } from './plain-data';

/**
 * Rule 12, first half: every string anywhere in the input, object keys included, ends up in YAML
 * that Ansible reads, and Ansible templates every string it reads. Jinja delimiters would be
 * evaluated on the deploy host; control and line-separator characters can break out of a YAML
 * scalar or hide text from reviewers (bidi overrides). We walk the raw input, not the parsed
 * environment, so that keys zod drops or strings in unknown places are checked too.
 */

const JINJA = /\{\{|\{%|\{#/;

/**
 * Ansible's templar reads a string that starts with `#jinja2:` as Jinja environment overrides
 * (`variable_start_string:…`): new delimiters, and then text without `{{` is evaluated (issue 26
 * found one in a provider network's range). Refused anywhere in a string, not only at its start.
 */
const JINJA_OVERRIDE = '#jinja2:';

/**
 * C0 controls and DEL; C1 controls (YAML 1.1 treats U+0085 as a line break); U+2028/U+2029 (line
 * and paragraph separators); bidi embeddings, overrides and isolates; the BOM / zero-width
 * no-break space.
 */
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string is unsafe, or undefined when it is fine. */
export function unsafeTextReason(text: string): string | undefined {
  const jinja = JINJA.exec(text);
  if (jinja) return `contains the Jinja delimiter ${JSON.stringify(jinja[0])}, which Ansible would evaluate`;
  if (text.includes(JINJA_OVERRIDE)) {
    return `contains ${JSON.stringify(JINJA_OVERRIDE)}, with which Ansible lets a string choose its own Jinja delimiters`;
  }
  const ch = UNSAFE_CHAR.exec(text);
  if (ch) {
    const code = ch[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `contains the control or invisible character U+${code}`;
  }
  // Lone surrogates cannot be written as UTF-8; the YAML writer would replace them silently.
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

export function checkTextSafety(data: PlainData, site: string): Issue[] {
  const issues: Issue[] = [];
  const path: (string | number)[] = [];
  const walk = (value: PlainData): void => {
    if (typeof value === 'string') {
      const reason = unsafeTextReason(value);
      if (reason) issues.push(issue('UNSAFE_TEXT', site, [...path], `${reason}; expected plain text`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        path.push(i);
        walk(item);
        path.pop();
      });
      return;
    }
    for (const key of Object.keys(value)) {
      path.push(key);
      const reason = unsafeTextReason(key);
      if (reason)
        issues.push(issue('UNSAFE_TEXT', site, [...path], `the key ${reason}; expected plain text`));
      walk(value[key]);
      path.pop();
    }
  };
  walk(data);
  return issues;
}
