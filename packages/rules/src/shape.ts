import { z } from 'zod';
import {
  boundKindOf,
  type Environment,
  EnvironmentSchema,
  issue,
  type Issue,
  type IssuePath,
  NUMERIC_BOUNDS,
} from '@osa-gitops/core';
import type { PlainData } from './plain-data';
import { quote } from './context';

/**
 * Rule 1: shape. zod checks types, required keys and unknown keys (every object is strict, so a
 * typo such as `gatway:` fails instead of being dropped). Its issues become SCHEMA_UNKNOWN_KEY
 * (one per key, at the key's own path), the code of a number's kind when the number is out of
 * the range its program accepts (core's bounds.ts: VLAN_ID_RANGE, MTU_RANGE, …), and
 * SCHEMA_INVALID, each saying what was expected.
 */
export function parseShape(
  data: PlainData,
  site: string,
): { readonly environment?: Environment; readonly issues: Issue[] } {
  const result = EnvironmentSchema.safeParse(data);
  if (result.success) return { environment: result.data, issues: [] };
  return { issues: mergeTypos(result.error.issues, data, site) };
}

/**
 * Unknown keys reported one by one per object; the rest are counted in one issue. 190,000 unknown
 * keys once made 190,000 issues and overflowed the stack ("Maximum call stack size exceeded").
 */
const MAX_UNKNOWN_KEYS_LISTED = 20;

/**
 * A misspelt key (`gatway`) is both an unknown key and, when the real key is required, a missing
 * one: zod reports two issues for one mistake. They become one SCHEMA_UNKNOWN_KEY at the typo,
 * saying which key was meant; an unknown key close to an optional key gets the suggestion too.
 */
function mergeTypos(zodIssues: readonly z.core.$ZodIssue[], data: PlainData, site: string): Issue[] {
  const pathOf = (zi: z.core.$ZodIssue) => zi.path.filter((p): p is string | number => typeof p !== 'symbol');
  const missing = new Map<string, { key: string; index: number }[]>();
  zodIssues.forEach((zi, index) => {
    const path = pathOf(zi);
    const key = path[path.length - 1];
    if (zi.code === 'invalid_type' && typeof key === 'string' && valueAt(data, path) === undefined) {
      const parent = JSON.stringify(path.slice(0, -1));
      missing.set(parent, [...(missing.get(parent) ?? []), { key, index }]);
    }
  });
  const absorbed = new Set<number>();
  const suggestions = new Map<z.core.$ZodIssue, Map<string, { key: string; required: boolean }>>();
  for (const zi of zodIssues) {
    if (zi.code !== 'unrecognized_keys') continue;
    const path = pathOf(zi);
    const candidates = missing.get(JSON.stringify(path)) ?? [];
    // Keys already written are not what a typo meant.
    const here = valueAt(data, path);
    const present =
      here !== null && typeof here === 'object' && !Array.isArray(here) ? Object.keys(here) : [];
    const known = knownKeysAt(path).filter((k) => !present.includes(k));
    const perKey = new Map<string, { key: string; required: boolean }>();
    // Only listed keys may stand for a missing one (see MAX_UNKNOWN_KEYS_LISTED).
    for (const key of zi.keys.slice(0, MAX_UNKNOWN_KEYS_LISTED)) {
      const req = closest(
        key,
        candidates.filter((c) => !absorbed.has(c.index)).map((c) => c.key),
      );
      if (req !== undefined) {
        absorbed.add(candidates.find((c) => c.key === req && !absorbed.has(c.index))!.index);
        perKey.set(key, { key: req, required: true });
        continue;
      }
      const opt = closest(key, known);
      if (opt !== undefined) perKey.set(key, { key: opt, required: false });
    }
    suggestions.set(zi, perKey);
  }
  return zodIssues.flatMap((zi, index) =>
    absorbed.has(index) ? [] : fromZodIssue(zi, data, site, suggestions.get(zi)),
  );
}

/** The candidate a typo most likely meant: edit distance at most 2, and under half the key. */
export function closest(typo: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === typo) continue;
    const d = editDistance(typo.toLowerCase(), c.toLowerCase());
    const limit = Math.min(2, Math.floor(Math.max(typo.length, c.length) / 3));
    if (d <= Math.max(1, limit) && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

function fromZodIssue(
  zi: z.core.$ZodIssue,
  data: PlainData,
  site: string,
  suggestions?: ReadonlyMap<string, { key: string; required: boolean }>,
): Issue[] {
  const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (zi.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    const expected = known.length > 0 ? `; expected one of: ${known.join(', ')}` : '';
    const listed = zi.keys.slice(0, MAX_UNKNOWN_KEYS_LISTED).map((key) => {
      const meant = suggestions?.get(key);
      const message =
        meant === undefined
          ? `unknown key ${quote(key)} is not part of the model${expected}`
          : `unknown key ${quote(key)}: did you mean \`${meant.key}\`?` +
            (meant.required ? ` expected ${quote(meant.key)} here, which is required and missing` : expected);
      return issue('SCHEMA_UNKNOWN_KEY', site, [...path, key], message);
    });
    const more = zi.keys.length - listed.length;
    if (more > 0) {
      listed.push(
        issue(
          'SCHEMA_UNKNOWN_KEY',
          site,
          path,
          `${more} more unknown keys here (${zi.keys.length} in all, the first ${listed.length} listed) are not part of the model${expected}`,
        ),
      );
    }
    return listed;
  }
  // `int` is zod's own safe-integer range, checked before ours (1e300 is too big for both).
  if ((zi.code === 'too_small' || zi.code === 'too_big') && (zi.origin === 'number' || zi.origin === 'int')) {
    const kind = boundKindAt(path);
    if (kind !== undefined) {
      const b = NUMERIC_BOUNDS[kind];
      const value = valueAt(data, path);
      return [
        issue(
          b.code,
          site,
          path,
          `${b.what} ${preview(value)} is out of range; expected ${b.min}–${b.max}: ${b.setBy}`,
        ),
      ];
    }
  }
  return [issue('SCHEMA_INVALID', site, path, describe(zi, valueAt(data, path)))];
}

/** The kind of number the model has at a path (core's bounds.ts), if it is a bounded one. */
function boundKindAt(path: IssuePath) {
  const schema = schemaAt(path);
  return schema === undefined ? undefined : boundKindOf(unwrap(schema));
}

function describe(zi: z.core.$ZodIssue, value: PlainData): string {
  switch (zi.code) {
    case 'invalid_type':
      return value === undefined
        ? `required value is missing; expected ${zi.expected}`
        : `expected ${zi.expected}, got ${typeName(value)}`;
    case 'invalid_value':
      return `expected one of ${zi.values.map((v) => JSON.stringify(v)).join(', ')}, got ${preview(value)}`;
    case 'too_big':
      return `expected at most ${String(zi.maximum)} ${unit(zi.origin)}, got ${sizeOf(value)}`;
    case 'too_small':
      return `expected at least ${String(zi.minimum)} ${unit(zi.origin)}, got ${sizeOf(value)}`;
    case 'invalid_key':
      return `invalid key: ${zi.issues.map((i) => describe(i, path0(zi.path))).join('; ')}`;
    default:
      return zi.message;
  }
}

// An invalid record key is reported at the key's path; its own issue describes the key text.
function path0(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : '';
}

function unit(origin: string): string {
  return origin === 'string' ? 'characters' : origin === 'array' ? 'items' : origin;
}

function sizeOf(value: PlainData): string {
  if (typeof value === 'string') return `${value.length} characters`;
  if (Array.isArray(value)) return `${value.length} items`;
  return preview(value);
}

function typeName(value: PlainData): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${String(value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${preview(value)}`;
}

function preview(value: PlainData): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

function valueAt(data: PlainData, path: IssuePath): PlainData {
  let cur: PlainData = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur)
      ? typeof seg === 'number'
        ? cur[seg]
        : undefined
      : Object.prototype.hasOwnProperty.call(cur, seg)
        ? cur[String(seg)]
        : undefined;
  }
  return cur;
}

/** The keys the model allows at a path, for "expected one of" in unknown-key messages. */
function knownKeysAt(path: IssuePath): string[] {
  const schema = schemaAt(path);
  const target = schema === undefined ? undefined : unwrap(schema);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

/** The model's schema at a path (an array index or a record key stands for any element). */
function schemaAt(path: IssuePath): z.ZodType | undefined {
  let schema: z.ZodType | undefined = EnvironmentSchema;
  for (const seg of path) {
    schema = schema === undefined ? undefined : childSchema(unwrap(schema), seg);
  }
  return schema;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let cur = schema;
  while (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  return cur;
}

function childSchema(schema: z.ZodType, seg: string | number): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(seg)];
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return undefined;
}
