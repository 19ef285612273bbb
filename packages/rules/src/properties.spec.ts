import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvironmentSchema, guideInput, type Issue, ISSUE_CODES, sortIssues } from '@osa-gitops/core';
import { validateEnvironment, type ValidationResult } from './validate-environment';

/** Every path (inner nodes and leaves) of the base fixture, as mutation targets. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...prefix, k])),
  ];
}

const PATHS = pathsOf(guideInput()).filter((p) => p.length > 0);

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) {
    const next = cur[seg];
    if (next === null || typeof next !== 'object') return; // an earlier mutation replaced the parent
    cur = next as Record<string | number, unknown>;
  }
  // Reflect.set, not `=`: a parent may be a boxed String (fc.anything withBoxedValues), whose
  // index keys are read-only; the mutation is then simply not applied.
  Reflect.set(cur, path[path.length - 1]!, value);
}

/** Values a hostile or careless definition might contain, beyond fc.anything(). */
const nasty = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
    maxDepth: 3,
  }),
  fc.constantFrom(
    '{{ lookup("pipe", "id") }}',
    '10.0.0.0/8',
    '0.0.0.0/0',
    '203.0.113.130/28',
    '::ffff:203.0.113.140',
    '203.0.113.140-203.0.113.1',
    '203.0.113.140, 203.0.113.142',
    'df:25:83:e1:77:c8',
    '100',
    'lxc_hosts',
    'haproxy',
    '',
    '..',
    NaN,
    Infinity,
    -1,
    2 ** 53,
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.ipV4(),
  fc.integer({ min: -5, max: 5000 }),
);

const mutatedInput = fc
  .array(fc.tuple(fc.constantFrom(...PATHS), nasty), { minLength: 1, maxLength: 4 })
  .map((mutations) => {
    const input = guideInput();
    for (const [path, value] of mutations) setAt(input, path, value);
    return input;
  });

function expectWellFormed(result: ValidationResult): void {
  expect(typeof result.ok).toBe('boolean');
  expect(result.ok).toBe(!result.issues.some((i: Issue) => i.severity === 'error'));
  expect(result.issues).toEqual(sortIssues(result.issues));
  for (const i of result.issues) {
    expect(ISSUE_CODES[i.code]?.[0]).toBe(i.severity);
    expect(Array.isArray(i.path)).toBe(true);
    expect(i.message.length).toBeGreaterThan(0);
  }
  if (result.environment !== undefined)
    expect(EnvironmentSchema.safeParse(result.environment).success).toBe(true);
}

describe('validateEnvironment properties', () => {
  it('never throws on anything', () => {
    fc.assert(
      fc.property(nasty, (input) => {
        expectWellFormed(validateEnvironment(input));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated valid definitions, and reports well-formed results', () => {
    fc.assert(
      fc.property(mutatedInput, (input) => {
        expectWellFormed(validateEnvironment(input));
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same input gives the same result', () => {
    fc.assert(
      fc.property(mutatedInput, (input) => {
        expect(validateEnvironment(input)).toEqual(validateEnvironment(input));
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on key order', () => {
    const reversed = (value: unknown): unknown => {
      if (value === null || typeof value !== 'object') return value;
      if (Array.isArray(value)) return value.map(reversed);
      if (Object.getPrototypeOf(value) !== Object.prototype) return value; // Map, Date, …: not reordered
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reversed(v)]),
      );
    };
    fc.assert(
      fc.property(mutatedInput, (input) => {
        // Only the issues are compared: the parsed environment keeps the input's key order.
        const a = validateEnvironment(input).issues.map((i) => [i.code, i.path]);
        const b = validateEnvironment(reversed(input)).issues.map((i) => [i.code, i.path]);
        expect(new Set(b.map((x) => JSON.stringify(x)))).toEqual(new Set(a.map((x) => JSON.stringify(x))));
      }),
      { numRuns: 150 },
    );
  });
});
