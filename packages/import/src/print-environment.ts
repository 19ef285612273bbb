import {
  BondSchema,
  EnvironmentSchema,
  HostSchema,
  ProviderNetworkSchema,
  PublicNetworkSchema,
  type EnvironmentInput,
} from '@osa-gitops/core';

/**
 * What `environments/_shared/base.ts` exports, as values (the CLI evaluates the file through the
 * loader; tests import it). Each is used in the printed definition only where it gives exactly
 * the imported value, so a changed base file never changes what an import means.
 */
export interface SharedBase {
  readonly fleetBase?: unknown;
  readonly standardProviderNetworks?: unknown;
  readonly infraWithHaproxy?: unknown;
  /** `deployTo(<site>)`. */
  readonly deployTo?: unknown;
  /** `bondNics(BOND_NICS_PROBE)`: tells how bondNics builds MACs from a prefix. */
  readonly bondNics?: unknown;
}

/** The prefix passed to `bondNics` to learn its shape. */
export const BOND_NICS_PROBE = 'PREFIX';

export interface PrintOptions {
  readonly shared?: SharedBase;
  /** Lines of the doc comment above the definition. */
  readonly comment?: readonly string[];
}

/**
 * `environment.ts` source for an imported definition, in the style of the example sites:
 * `defineEnvironment({...})`, the fleet base spread and its helpers called where they fit, keys
 * in the model's order. Deterministic; formatting is close to prettier's (the CLI runs prettier
 * over it when the workspace has it).
 */
export function printEnvironment(input: EnvironmentInput, opts: PrintOptions = {}): string {
  const shared = opts.shared ?? {};
  const used = new Set<string>();
  const body: string[] = [];
  const site = input.name;

  const fleet = fleetBaseFits(input, shared.fleetBase);
  if (fleet) {
    used.add('fleetBase');
    body.push('...fleetBase,');
  }
  for (const key of Object.keys(EnvironmentSchema.shape) as (keyof EnvironmentInput)[]) {
    const value = input[key];
    if (value === undefined) continue;
    if (fleet && (key === 'managementBridge' || key === 'providerNetworks')) continue;
    if (key === 'hostNetworking') {
      const hn = value as NonNullable<EnvironmentInput['hostNetworking']>;
      if (fleet) {
        const { bond: _fromBase, ...rest } = hn;
        const extra = Object.entries(rest).filter(([, v]) => v !== undefined);
        if (extra.length === 0) continue;
        const items = extra.map(([k, v]) => `    ${propertyKey(k)}: ${literal(v, 2)},`);
        body.push(`hostNetworking: {\n    ...fleetBase.hostNetworking,\n${items.join('\n')}\n  },`);
        continue;
      }
      if (hn.bond === undefined && hn.vlans === undefined) continue;
    }
    if (key === 'providerNetworks' && same(value, shared.standardProviderNetworks, normalNetworks)) {
      used.add('standardProviderNetworks');
      body.push('providerNetworks: standardProviderNetworks,');
      continue;
    }
    if (key === 'hosts') {
      body.push(`hosts: {`);
      for (const [name, host] of Object.entries(input.hosts)) {
        body.push(`  ${propertyKey(name)}: ${printHost(host, shared, used)},`);
      }
      body.push('},');
      continue;
    }
    if (key === 'deploy' && same(value, shared.deployTo, (d) => d)) {
      used.add('deployTo');
      body.push(`deploy: deployTo(${quote(site)}),`);
      continue;
    }
    body.push(`${key}: ${literal(ordered(key, value), 1)},`);
  }

  const lines: string[] = ["import { defineEnvironment } from '@osa-gitops/core';"];
  if (used.size > 0) lines.push(`import { ${[...used].sort().join(', ')} } from '../_shared/base';`);
  lines.push('');
  const comment = opts.comment ?? [];
  if (comment.length > 0) {
    lines.push('/**');
    for (const c of comment) lines.push(` * ${c.replace(/\*\//g, '*\\/')}`.trimEnd());
    lines.push(' */');
  }
  lines.push('export default defineEnvironment({');
  for (const line of body) lines.push(`  ${line}`);
  lines.push('});');
  return `${lines.join('\n')}\n`;
}

function printHost(host: EnvironmentInput['hosts'][string], shared: SharedBase, used: Set<string>): string {
  const parts: string[] = [];
  for (const key of Object.keys(HostSchema.shape) as (keyof typeof host)[]) {
    const value = host[key];
    if (value === undefined) continue;
    if (key === 'groups' && same(value, shared.infraWithHaproxy, (g) => g)) {
      used.add('infraWithHaproxy');
      parts.push('groups: infraWithHaproxy');
      continue;
    }
    if (key === 'bondMembers') {
      const prefix = bondNicsPrefix(value as Record<string, string>, shared.bondNics);
      if (prefix !== undefined) {
        used.add('bondNics');
        parts.push(`bondMembers: bondNics(${quote(prefix)})`);
        continue;
      }
    }
    parts.push(`${key}: ${literal(value, 3)}`);
  }
  return `{ ${parts.join(', ')} }`;
}

/** The prefix `p` with `bondNics(p)` equal to `members`, if the helper builds them. */
function bondNicsPrefix(members: Record<string, string>, probe: unknown): string | undefined {
  if (probe === null || typeof probe !== 'object' || Array.isArray(probe)) return undefined;
  const shape = probe as Record<string, unknown>;
  const ifaces = Object.keys(shape);
  if (ifaces.length === 0 || ifaces.length !== Object.keys(members).length) return undefined;
  let prefix: string | undefined;
  for (const iface of ifaces) {
    const template = shape[iface];
    const mac = members[iface];
    if (typeof template !== 'string' || mac === undefined || !template.startsWith(BOND_NICS_PROBE))
      return undefined;
    const suffix = template.slice(BOND_NICS_PROBE.length);
    if (!mac.endsWith(suffix)) return undefined;
    const p = mac.slice(0, mac.length - suffix.length);
    if (prefix !== undefined && p !== prefix) return undefined;
    prefix = p;
  }
  return prefix;
}

/** The fleet base fits when each key it sets is exactly the imported value. */
function fleetBaseFits(input: EnvironmentInput, fleetBase: unknown): boolean {
  if (fleetBase === null || typeof fleetBase !== 'object' || Array.isArray(fleetBase)) return false;
  const base = fleetBase as Record<string, unknown>;
  for (const key of Object.keys(base)) {
    if (key === 'managementBridge') {
      if ((input.managementBridge ?? 'br-mgmt') !== base[key]) return false;
    } else if (key === 'providerNetworks') {
      if (!same(input.providerNetworks, base[key], normalNetworks)) return false;
    } else if (key === 'hostNetworking') {
      const hn = base[key];
      if (hn === null || typeof hn !== 'object') return false;
      for (const k of Object.keys(hn)) {
        if (k !== 'bond') return false;
      }
      const want = (hn as { bond?: unknown }).bond;
      const have = input.hostNetworking?.bond;
      if ((want === undefined) !== (have === undefined)) return false;
      if (want !== undefined && !same(have, want, (b) => BondSchema.safeParse(b).data ?? b)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function normalNetworks(value: unknown): unknown {
  return Array.isArray(value) ? value.map((n) => ProviderNetworkSchema.safeParse(n).data ?? n) : value;
}

function same(a: unknown, b: unknown, normal: (v: unknown) => unknown): boolean {
  return b !== undefined && canonical(normal(a)) === canonical(normal(b));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}

/** Model key order for the nested objects operators read most. */
function ordered(key: string, value: unknown): unknown {
  if (key === 'providerNetworks' && Array.isArray(value)) {
    return value.map((n) => orderBy(n as Record<string, unknown>, Object.keys(ProviderNetworkSchema.shape)));
  }
  if (key === 'haproxy' && value !== null && typeof value === 'object') {
    const h = value as Record<string, unknown>;
    return {
      ...h,
      publicNetwork: orderBy(
        h.publicNetwork as Record<string, unknown>,
        Object.keys(PublicNetworkSchema.shape),
      ),
    };
  }
  return value;
}

function orderBy(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/** A TypeScript literal of plain data: objects, arrays, strings, numbers, booleans. */
function literal(value: unknown, depth: number): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  // `depth` is the indentation level of the line the literal starts on.
  if (Array.isArray(value)) {
    const items = value.map((v) => literal(v, depth + 1));
    const flat = `[${items.join(', ')}]`;
    return flat.length <= 80 && !flat.includes('\n')
      ? flat
      : `[\n${items.map((i) => `${pad}${i},`).join('\n')}\n${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, v]) => `${propertyKey(k)}: ${literal(v, depth + 1)}`);
    const flat = `{ ${items.join(', ')} }`;
    return flat.length <= 80 && !flat.includes('\n')
      ? flat
      : `{\n${items.map((i) => `${pad}${i},`).join('\n')}\n${end}}`;
  }
  throw new Error(`printEnvironment: ${typeof value} is not plain data`);
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** A single-quoted TS string; anything that could end it or the line is escaped. */
export function quote(text: string): string {
  return `'${text.replace(/[\\'\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\\' ? '\\\\' : c === "'" ? "\\'" : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}'`;
}
