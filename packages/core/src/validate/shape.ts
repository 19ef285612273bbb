import { z } from 'zod';
import { EnvironmentSchema, type Environment } from '../model/schema';
import { issue, type Issue, type IssuePath } from '../issues';
import type { PlainData } from './plain-data';
import { quote } from './context';

/**
 * Rule 1: shape. zod checks types, required keys and unknown keys (every object is strict, so a
 * typo such as `gatway:` fails instead of being dropped). Its issues become SCHEMA_UNKNOWN_KEY
 * (one per key, at the key's own path) and SCHEMA_INVALID, each saying what was expected.
 */
export function parseShape(
  data: PlainData,
  site: string,
): { readonly environment?: Environment; readonly issues: Issue[] } {
  const result = EnvironmentSchema.safeParse(data);
  if (result.success) return { environment: result.data, issues: [] };
  return { issues: result.error.issues.flatMap((zi) => fromZodIssue(zi, data, site)) };
}

function fromZodIssue(zi: z.core.$ZodIssue, data: PlainData, site: string): Issue[] {
  const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (zi.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    const expected = known.length > 0 ? `; expected one of: ${known.join(', ')}` : '';
    return zi.keys.map((key) =>
      issue(
        'SCHEMA_UNKNOWN_KEY',
        site,
        [...path, key],
        `unknown key ${quote(key)} is not part of the model${expected}`,
      ),
    );
  }
  return [issue('SCHEMA_INVALID', site, path, describe(zi, valueAt(data, path)))];
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
  let schema: z.ZodType | undefined = EnvironmentSchema;
  for (const seg of path) {
    schema = schema === undefined ? undefined : childSchema(unwrap(schema), seg);
  }
  const target = schema === undefined ? undefined : unwrap(schema);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
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
