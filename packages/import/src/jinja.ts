/**
 * The few Jinja shapes import reads without evaluating anything: the OSA guide's networkd list
 * builder, and a bare variable reference. Everything else is reported, never run.
 *
 * The guide (openstack-ansible `doc/source/user/prod/haproxy_in_lxc.rst` @ ff08037) builds
 * `openstack_hosts_systemd_networkd_devices` / `_networks` like this:
 *
 *     {% set devices = [] %}
 *     {% if is_metal %}
 *     {%   set _ = devices.extend(_systemd_networkd_generic_devices) %}
 *     {%   if inventory_hostname in groups['haproxy_hosts'] %}
 *     {%     set _ = devices.extend(_systemd_networkd_public_api_devices) %}
 *     {%   endif %}
 *     {% endif %}
 *     {{ devices }}
 */

export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

/** True when any string inside `value` is a template. */
export function containsTemplate(value: unknown, depth = 0): boolean {
  if (depth > 64) return true;
  if (isTemplate(value)) return true;
  if (Array.isArray(value)) return value.some((v) => containsTemplate(v, depth + 1));
  if (typeof value === 'object' && value !== null)
    return Object.values(value).some((v) => containsTemplate(v, depth + 1));
  return false;
}

export interface TemplateHost {
  /** Physical hosts of the config are metal. */
  readonly isMetal: boolean;
  /** Inventory groups the host is in (normalised names, plus `hosts` and `all`). */
  readonly groups: ReadonlySet<string>;
  /** A variable's value for this host, with where it is set (undefined when unset). */
  lookup(name: string): Located | undefined;
}

/** A value and the file and path it comes from. */
export interface Located {
  readonly value: unknown;
  readonly file: string;
  readonly path: readonly (string | number)[];
}

export type TemplateResult =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly pattern: 'list-builder' | 'variable';
      /** For a list builder: where each item of the result comes from. */
      readonly items?: readonly Located[];
    }
  | { readonly ok: false; readonly reason: string };

const BARE_VARIABLE = /^\s*\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}\s*$/;
const TOKEN = /(\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\})/;

/** Resolve `text` for one host, or say why it is not a shape import knows. */
export function resolveTemplate(text: string, host: TemplateHost): TemplateResult {
  const bare = BARE_VARIABLE.exec(text);
  if (bare) {
    const value = host.lookup(bare[1]!)?.value;
    if (value === undefined) return { ok: false, reason: `${bare[1]} is not set` };
    if (isTemplate(value)) return { ok: false, reason: `${bare[1]} is itself a template` };
    return { ok: true, value, pattern: 'variable' };
  }
  return resolveListBuilder(text, host);
}

function resolveListBuilder(text: string, host: TemplateHost): TemplateResult {
  const lists = new Map<string, Located[]>();
  const conditions: boolean[] = [];
  let output: Located[] | undefined;
  for (const token of text.split(TOKEN)) {
    if (token.trim() === '') continue;
    if (output !== undefined) return { ok: false, reason: 'text after the final {{ list }}' };
    const stmt = /^\{%-?\s*([\s\S]*?)\s*-?%\}$/.exec(token)?.[1];
    const expr = /^\{\{-?\s*([\s\S]*?)\s*-?\}\}$/.exec(token)?.[1];
    if (stmt === undefined && expr === undefined) return { ok: false, reason: 'text outside template tags' };
    const active = conditions.every(Boolean);
    if (expr !== undefined) {
      const list = lists.get(expr);
      if (list === undefined || conditions.length > 0) return { ok: false, reason: `output {{ ${expr} }}` };
      output = list;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^set\s+([A-Za-z_]\w*)\s*=\s*\[\s*\]$/.exec(stmt!))) {
      if (active) lists.set(m[1]!, []);
    } else if (/^if\s+is_metal$/.test(stmt!)) {
      conditions.push(host.isMetal);
    } else if (/^if\s+not\s+is_metal$/.test(stmt!)) {
      conditions.push(!host.isMetal);
    } else if ((m = /^if\s+inventory_hostname\s+in\s+groups\[\s*(['"])([\w-]+)\1\s*\]$/.exec(stmt!))) {
      conditions.push(host.groups.has(m[2]!.replace(/-/g, '_')));
    } else if (/^endif$/.test(stmt!)) {
      if (conditions.pop() === undefined) return { ok: false, reason: 'endif without if' };
    } else if ((m = /^set\s+_\s*=\s*([A-Za-z_]\w*)\.extend\(\s*([A-Za-z_]\w*)\s*\)$/.exec(stmt!))) {
      if (!active) continue;
      const list = lists.get(m[1]!);
      const hit = host.lookup(m[2]!);
      const add = hit?.value;
      if (list === undefined) return { ok: false, reason: `${m[1]} is not a list set in the template` };
      if (!Array.isArray(add)) return { ok: false, reason: `${m[2]} is not a list of plain data` };
      if (add.some((a) => containsTemplate(a))) return { ok: false, reason: `${m[2]} holds templates` };
      add.forEach((value, i) =>
        list.push({ value: structuredClone(value), file: hit!.file, path: [...hit!.path, i] }),
      );
    } else {
      return { ok: false, reason: `{% ${stmt} %}` };
    }
  }
  if (conditions.length > 0) return { ok: false, reason: 'if without endif' };
  if (output === undefined) return { ok: false, reason: 'no final {{ list }}' };
  return { ok: true, value: output.map((o) => o.value), pattern: 'list-builder', items: output };
}
