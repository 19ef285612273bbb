/**
 * Turn a definition's default export into plain data, or say precisely why it is not.
 *
 * Plain data = strings, numbers, booleans, null, undefined, arrays and objects whose prototype is
 * `Object.prototype` or `null`. Everything else (functions, symbols, bigints, class instances such
 * as Date/Map/Promise, cycles) is refused with the path to the offending value. Getters are run
 * once; one that throws is refused too. The result is a fresh copy, so nothing the definition
 * keeps a reference to can change it later, and it survives `postMessage` unchanged.
 *
 * Shared references (one array spread into three hosts) are fine; only cycles are refused. The
 * node budget stops a small definition from expanding shared references exponentially.
 *
 * The value usually comes from another realm (the site's own `vm` context, see worker-main.ts):
 * arrays are recognised with `Array.isArray`, and `realm` names that realm's `Object.prototype`
 * and `Array.prototype` so its literals count as plain. The copy itself only uses built-ins
 * captured when this module loaded (before any definition ran), never a prototype method such as
 * `push`, `indexOf` or an array iterator, and writes with `defineProperty`: a definition that
 * patched a built-in it can reach cannot change how its value, or another site's, is copied.
 */

// Captured once, at module load. Nothing below looks a built-in up again.
const {
  create,
  defineProperty,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  prototype: OBJECT_PROTOTYPE,
} = Object;
const { apply, ownKeys } = Reflect;
const { isArray, prototype: ARRAY_PROTOTYPE } = Array;
const { toString: objectToString } = OBJECT_PROTOTYPE;
const StringCtor = String;

export type DataPath = (string | number)[];

export type PlainDataResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly path: DataPath; readonly reason: string };

export interface PlainDataLimits {
  /** @default 64 */
  readonly maxDepth?: number;
  /** @default 200_000 */
  readonly maxNodes?: number;
  /**
   * Keys of one object. Far above any real definition (hosts are counted in tens); 190,000
   * unknown keys once overflowed the validator's stack ("Maximum call stack size exceeded").
   * @default 20_000
   */
  readonly maxKeys?: number;
}

/** Longest key copied: every key is echoed in issue paths (a 50 MB key was printed whole). */
export const MAX_KEY_LENGTH = 1024;

/** Longest text echoed from a definition (a thrown message, a key in a reason). */
export const MAX_ECHO_LENGTH = 2000;

/** `text` cut to `max` characters, saying how much was cut. */
export function capText(text: string, max: number = MAX_ECHO_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters cut)`;
}

/** The intrinsics of the realm a value was made in, captured before that realm ran user code. */
export interface ValueRealm {
  readonly objectPrototype: object;
  readonly arrayPrototype: object;
}

/** Thrown (and caught) only inside `toPlainData`; the details travel in a closure variable. */
const REFUSED: unique symbol = Symbol('not-data');

/** A path as a chain to its parent, turned into a `DataPath` only when something is refused. */
interface PathLink {
  readonly parent: PathLink | undefined;
  readonly seg: string | number;
  readonly length: number;
}

export function toPlainData(
  value: unknown,
  limits: PlainDataLimits = {},
  realm?: ValueRealm,
): PlainDataResult {
  const maxDepth = limits.maxDepth ?? 64;
  const maxNodes = limits.maxNodes ?? 200_000;
  const maxKeys = limits.maxKeys ?? 20_000;
  const objectPrototypes = [OBJECT_PROTOTYPE, realm?.objectPrototype ?? OBJECT_PROTOTYPE];
  const arrayPrototypes = [ARRAY_PROTOTYPE, realm?.arrayPrototype ?? ARRAY_PROTOTYPE];
  let nodes = 0;
  const ancestors: object[] = [];
  const ancestorPaths: (PathLink | undefined)[] = [];
  let depth = 0;
  let refused: { path: DataPath; reason: string } | undefined;

  const refuse = (at: PathLink | undefined, reason: string): never => {
    refused = { path: toDataPath(at), reason };
    throw REFUSED;
  };
  const child = (parent: PathLink | undefined, seg: string | number): PathLink => ({
    parent,
    seg,
    length: (parent?.length ?? 0) + 1,
  });

  const walk = (v: unknown, at: PathLink | undefined): unknown => {
    if (++nodes > maxNodes) refuse(at, `the definition has more than ${maxNodes} values`);
    switch (typeof v) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
        return v;
      case 'function':
        return refuse(at, 'a function is not data');
      case 'symbol':
        return refuse(at, 'a symbol is not data');
      case 'bigint':
        return refuse(at, 'a bigint is not data (use a number or a string)');
    }
    if (v === null) return null;
    const obj = v as object;
    if ((at?.length ?? 0) > maxDepth) refuse(at, `nesting is deeper than ${maxDepth} levels`);
    for (let i = 0; i < depth; i++) {
      if (ancestors[i] === obj) {
        refuse(at, `a cycle: this value contains itself (at ${show(toDataPath(ancestorPaths[i]))})`);
      }
    }
    put(ancestors, depth, obj);
    put(ancestorPaths, depth, at);
    depth++;
    try {
      return isArray(obj) ? walkArray(obj, at) : walkObject(obj, at);
    } finally {
      depth--;
    }
  };

  const walkArray = (arr: readonly unknown[], at: PathLink | undefined): unknown[] => {
    const proto: unknown = getPrototypeOf(arr);
    if (proto !== arrayPrototypes[0] && proto !== arrayPrototypes[1]) {
      refuse(at, 'an Array subclass is not data');
    }
    const out: unknown[] = [];
    const length = arr.length;
    for (let i = 0; i < length; i++) {
      const here = child(at, i);
      put(out, i, walk(readProperty(arr, i, here), here));
    }
    return out;
  };

  const walkObject = (obj: object, at: PathLink | undefined): Record<string, unknown> => {
    const proto: unknown = getPrototypeOf(obj);
    if (proto !== objectPrototypes[0] && proto !== objectPrototypes[1] && proto !== null) {
      refuse(at, `${describeInstance(obj)} is not plain data (use an object literal)`);
    }
    const out: Record<string, unknown> = {};
    const keys = ownKeys(obj);
    if (keys.length > maxKeys) {
      refuse(
        at,
        `an object with ${keys.length} keys is refused (at most ${maxKeys}, far more than any site has)`,
      );
    }
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (typeof key === 'symbol') refuse(at, `a symbol key (${describeSymbol(key)}) is not data`);
      if ((key as string).length > MAX_KEY_LENGTH) {
        refuse(
          at,
          `a key of ${(key as string).length} characters is refused (at most ${MAX_KEY_LENGTH}): ${JSON.stringify(capText(key as string, 40))}`,
        );
      }
      const desc = getOwnPropertyDescriptor(obj, key);
      if (!desc?.enumerable) continue; // what spread and JSON would skip too
      const name = key as string;
      const here = child(at, name);
      // defineProperty, not assignment: a key named `__proto__` must stay an ordinary key.
      put(out, name, walk(readProperty(obj, name, here), here));
    }
    return out;
  };

  const readProperty = (obj: object, key: string | number, at: PathLink): unknown => {
    try {
      return (obj as Record<string | number, unknown>)[key];
    } catch (err) {
      return refuse(at, `reading this property threw: ${describeThrown(err)}`);
    }
  };

  try {
    return { ok: true, value: walk(value, undefined) };
  } catch (err) {
    if (err === REFUSED && refused) return { ok: false, path: refused.path, reason: refused.reason };
    // A Proxy trap (ownKeys, getPrototypeOf, ...) threw: the value cannot be read as data.
    return { ok: false, path: [], reason: `the value cannot be read: ${describeThrown(err)}` };
  }
}

function toDataPath(at: PathLink | undefined): DataPath {
  const out: DataPath = [];
  for (let link = at; link !== undefined; link = link.parent) put(out, link.length - 1, link.seg);
  return out;
}

/**
 * The one descriptor `put` uses. Null prototype: defineProperty asks whether it has `get`/`set`,
 * and an inherited `Object.prototype.get` must not turn it into an accessor.
 */
const DATA: PropertyDescriptor = create(null) as PropertyDescriptor;
DATA.enumerable = true;
DATA.writable = true;
DATA.configurable = true;

/** An own, enumerable, writable data property: no setter of any prototype runs. */
function put(target: object, key: string | number, value: unknown): void {
  DATA.value = value;
  defineProperty(target, key, DATA);
  DATA.value = undefined; // keep no reference to the definition's data
}

function describeInstance(obj: object): string {
  try {
    const name = (obj.constructor as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name ? `an instance of ${name}` : 'an object with a custom prototype';
  } catch {
    return 'an object with a custom prototype'; // a hostile `constructor` getter: describe generically
  }
}

function describeSymbol(s: symbol): string {
  try {
    return capText(StringCtor(s), 200);
  } catch {
    return 'a symbol';
  }
}

/**
 * A thrown value as one short line, without ever throwing itself. Errors from any realm (a site's
 * context has its own `Error`) are recognised by their internal slot, not by `instanceof`.
 */
export function describeThrown(err: unknown): string {
  try {
    if (isError(err)) return capText(`${capText(StringCtor(err.name), 200)}: ${StringCtor(err.message)}`);
    return capText(StringCtor(err));
  } catch {
    return 'an unprintable value';
  }
}

/** Has an Error's internal slot, whichever realm made it (`instanceof` only knows this realm). */
function isError(err: unknown): err is Error {
  return typeof err === 'object' && err !== null && apply(objectToString, err, []) === '[object Error]';
}

function show(path: DataPath): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    out += typeof p === 'number' ? `[${p}]` : `.${p}`;
  }
  return out;
}
