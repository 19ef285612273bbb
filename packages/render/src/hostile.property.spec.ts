import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guideInput, ISSUE_CODES, type IssuePath } from '@osa-gitops/core';
import { compileEnvironment } from './compile-environment';
import { validateEnvironment } from '@osa-gitops/rules';

/**
 * Hostile-input properties (docs/SECURITY.md), beside properties.spec.ts which mutates values:
 *
 * - a Jinja delimiter or an unsafe character put into ANY string of a definition, or into any
 *   object key, is reported as UNSAFE_TEXT at exactly that path: Ansible templates every string
 *   it reads, so no field may be forgotten;
 * - values a definition can build in code but that are not data (throwing getters and Proxy
 *   traps, cycles, class instances, huge sparse arrays, symbol keys, own `__proto__` keys) never
 *   make validation or compile throw, wherever they sit.
 */

type Segment = string | number;

/** Every string leaf of a value, with its path. */
function stringLeaves(value: unknown, prefix: Segment[] = []): Segment[][] {
  if (typeof value === 'string') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  const keys: Segment[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => stringLeaves((value as Record<Segment, unknown>)[k], [...prefix, k]));
}

/** Every object key (records and fixed keys alike), as the path of that key. */
function objectKeys(value: unknown, prefix: Segment[] = []): Segment[][] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => objectKeys(v, [...prefix, i]));
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...objectKeys(v, [...prefix, k])]);
}

/** Every node path (for injecting hostile values anywhere, the root excluded). */
function nodePaths(value: unknown, prefix: Segment[] = []): Segment[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: Segment[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => nodePaths((value as Record<Segment, unknown>)[k], [...prefix, k]))];
}

function getAt(root: unknown, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((cur, seg) => (cur as Record<Segment, unknown>)[seg], root);
}

function setAt(root: unknown, path: readonly Segment[], value: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<Segment, unknown>;
  parent[path[path.length - 1]!] = value;
}

/** Rename the key at `path`, keeping its value and the other keys' order. */
function renameKeyAt(root: unknown, path: readonly Segment[], name: string): void {
  const parentPath = path.slice(0, -1);
  const parent = getAt(root, parentPath) as Record<string, unknown>;
  const old = String(path[path.length - 1]);
  const renamed = Object.fromEntries(Object.entries(parent).map(([k, v]) => [k === old ? name : k, v]));
  if (parentPath.length === 0) {
    for (const k of Object.keys(parent)) delete parent[k];
    Object.assign(parent, renamed);
  } else setAt(root, parentPath, renamed);
}

const STRING_PATHS = stringLeaves(guideInput());
const KEY_PATHS = objectKeys(guideInput());
const NODE_PATHS = nodePaths(guideInput()).filter((p) => p.length > 0);

/** What Ansible would evaluate, or what breaks a YAML scalar or hides text from reviewers. */
const unsafeFragment = fc.constantFrom(
  '{{',
  '{%',
  '{#',
  '{{ lookup("pipe", "id") }}',
  '{% raw %}',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b[2J',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ud800',
);

function insertAt(text: string, fragment: string, at: number): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + fragment + text.slice(i);
}

function hasIssueAt(issues: readonly { code: string; path: IssuePath }[], path: readonly Segment[]): boolean {
  return issues.some(
    (i) => i.code === 'UNSAFE_TEXT' && i.path.length === path.length && i.path.every((s, k) => s === path[k]),
  );
}

/** Values code can build that are not data; each is a factory (some must be built per run). */
const NOT_DATA: readonly ((root: unknown) => unknown)[] = [
  () =>
    Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    }),
  () =>
    new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    ),
  () =>
    new Proxy([], {
      get() {
        throw new Error('get');
      },
    }),
  () =>
    new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('getPrototypeOf');
        },
      },
    ),
  (root) => root, // a cycle through the root
  () => new (class Site {})(),
  () => new Date(0),
  () => new Map([['a', 1]]),
  () => () => 'a function',
  () => Symbol('s'),
  () => 10n,
  () => new Array(5_000_000), // sparse, with a huge length
];

/** Odd but plain values: they may be valid or not, but must never make validation throw. */
const ODD_DATA: readonly ((root: unknown) => unknown)[] = [
  () => ({ [Symbol('k')]: 1, a: 'b' }),
  () => Object.defineProperty({}, '__proto__', { value: { ip: '1.2.3.4' }, enumerable: true }),
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  () => Object.freeze(['frozen']),
  () => 'constructor',
  () => '__proto__',
  () => 'toString',
  () => 'hasOwnProperty',
];

function mutate(input: unknown, path: readonly Segment[], value: unknown): void {
  try {
    const parent = path.slice(0, -1).reduce<unknown>((cur, seg) => {
      if (cur === null || typeof cur !== 'object') return undefined;
      return (cur as Record<Segment, unknown>)[seg];
    }, input);
    if (parent === null || typeof parent !== 'object' || Object.isFrozen(parent)) return;
    (parent as Record<Segment, unknown>)[path[path.length - 1]!] = value;
  } catch {
    // An earlier mutation put a throwing Proxy or getter on the way: that path stays as it is.
  }
}

function expectWellFormed(input: unknown): ReturnType<typeof compileEnvironment> {
  const validated = validateEnvironment(input);
  const compiled = compileEnvironment(input);
  for (const result of [validated, compiled]) {
    for (const i of result.issues) expect(ISSUE_CODES[i.code]?.[0]).toBe(i.severity);
    expect(result.issues.some((i) => i.message.includes('failed internally'))).toBe(false);
  }
  expect(compiled.issues).toEqual(validated.issues);
  return compiled;
}

/** Not a timed assertion: only stops a property from hanging a busy CI machine. */
const SAFETY_NET_MS = 120_000;

describe('hostile input properties', () => {
  it(
    'reports UNSAFE_TEXT at any string that carries Jinja or an unsafe character',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...STRING_PATHS), unsafeFragment, fc.nat(), (path, fragment, at) => {
          const input = guideInput();
          setAt(input, path, insertAt(String(getAt(input, path)), fragment, at));
          const result = validateEnvironment(input);
          expect(result.ok).toBe(false);
          expect(hasIssueAt(result.issues, path), JSON.stringify(path)).toBe(true);
        }),
        { numRuns: 400 },
      );
    },
    SAFETY_NET_MS,
  );

  it(
    'reports UNSAFE_TEXT at any object key that carries Jinja or an unsafe character',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...KEY_PATHS), unsafeFragment, fc.nat(), (path, fragment, at) => {
          const input = guideInput();
          const name = insertAt(String(path[path.length - 1]), fragment, at);
          renameKeyAt(input, path, name);
          const result = validateEnvironment(input);
          expect(result.ok).toBe(false);
          expect(hasIssueAt(result.issues, [...path.slice(0, -1), name]), JSON.stringify(name)).toBe(true);
        }),
        { numRuns: 300 },
      );
    },
    SAFETY_NET_MS,
  );

  it(
    'never throws, whatever odd or non-data values sit wherever',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.constantFrom(...NODE_PATHS), fc.constantFrom(...NOT_DATA, ...ODD_DATA)), {
            minLength: 1,
            maxLength: 3,
          }),
          (mutations) => {
            const input = guideInput();
            for (const [path, make] of mutations) mutate(input, path, make(input));
            expectWellFormed(input);
          },
        ),
        { numRuns: 300 },
      );
    },
    SAFETY_NET_MS,
  );

  it(
    'never passes a definition holding a value that is not data, wherever it sits',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...NODE_PATHS), fc.constantFrom(...NOT_DATA), (path, make) => {
          const input = guideInput();
          mutate(input, path, make(input));
          const compiled = expectWellFormed(input);
          expect(compiled.issues.some((i) => i.severity === 'error')).toBe(true);
          expect(compiled.tree).toBeUndefined();
        }),
        { numRuns: 300 },
      );
    },
    SAFETY_NET_MS,
  );
});
