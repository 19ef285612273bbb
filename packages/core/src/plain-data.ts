/**
 * The one copier of untrusted input into plain data, or the precise reasons it is not plain data.
 * Used twice: by the loader on a definition's default export (in the evaluator, first failure
 * only, the site's own realm named) and by validation on whatever it is handed (every failure,
 * objects of any realm). Definitions come from code: a getter may throw, a Proxy may throw from
 * any trap, an object may contain itself, and shared references can expand exponentially.
 *
 * Plain data = strings, numbers, booleans, null, undefined, arrays and objects whose prototype is
 * an `Object.prototype` (of this realm, of the named realm, or with `realm: 'any'` of any realm) or
 * `null`. Everything else (functions, symbols, bigints, class instances such as Date/Map/Promise,
 * Array subclasses, symbol keys, cycles) is refused with the path to the offending value. Getters
 * run once, inside try/catch; one that throws is refused at its path, and so is an object whose
 * Proxy traps throw. A caller that can tell Proxies apart (`isProxy`: the loader) has every Proxy
 * refused before a trap runs. Only own enumerable string keys are copied (what spread and JSON
 * see). The result is a fresh copy: nothing the input keeps a reference to can change it later.
 *
 * The copy only uses built-ins captured when this module loaded (before any definition ran),
 * never a prototype method such as `push`, `indexOf`, `Set#has` or an array iterator, and writes
 * with `defineProperty`, so a key named `__proto__` stays an ordinary key and a definition that
 * patched a built-in it can reach cannot change how its value, or another site's, is copied.
 */

import { capText } from './issues';

// Captured once, at module load. Nothing below looks a built-in up again.
const {
  create,
  defineProperty,
  getOwnPropertySymbols,
  getPrototypeOf,
  keys,
  prototype: OBJECT_PROTOTYPE,
  setPrototypeOf,
} = Object;
const { apply } = Reflect;
const { isArray, prototype: ARRAY_PROTOTYPE } = Array;
const { toString: objectToString } = OBJECT_PROTOTYPE;
const StringCtor = String;

export type DataPath = (string | number)[];

export interface PlainDataFailure {
  /** `too-large`: over the node or depth budget (or key limits); `not-data`: anything else. */
  readonly kind: 'not-data' | 'too-large';
  readonly path: DataPath;
  readonly detail: string;
}

export type PlainDataCopy =
  | {
      readonly ok: true;
      readonly value: unknown;
      /** Characters of text copied (string values and keys, each time reached). */
      readonly text: number;
    }
  | { readonly ok: false; readonly failures: readonly PlainDataFailure[] };

/** The intrinsics of the realm a value was made in, captured before that realm ran user code. */
export interface ValueRealm {
  readonly objectPrototype: object;
  readonly arrayPrototype: object;
}

export interface PlainDataOptions {
  /** Values visited in total (a shared sub-object counts each time it is reached). */
  readonly maxNodes: number;
  /** Objects and arrays nested deeper than this are refused (`too-large`). */
  readonly maxDepth: number;
  /** Keys of one object; unchecked when absent. */
  readonly maxKeys?: number;
  /** Longest key copied (every key is echoed in issue paths); unchecked when absent. */
  readonly maxKeyLength?: number;
  /**
   * Whose `Object.prototype`/`Array.prototype` count as plain besides this realm's: a named realm
   * (a site's `vm` context), or `'any'` (any object whose prototype is an `Object.prototype`, any
   * array whose prototype is an `Array.prototype`).
   */
  readonly realm?: ValueRealm | 'any';
  /** Report every offending value (at most 100), not only the first. */
  readonly every?: boolean;
  /** Copy objects with a null prototype (no inherited key can answer a lookup). */
  readonly nullPrototype?: boolean;
  /**
   * Characters of text in all: every string value and every key, counted each time it is reached
   * (a string shared by 600 values is copied, and sent on, 600 times); unchecked when absent.
   */
  readonly maxText?: number;
  /**
   * Tells a Proxy from the object it wraps (`util.types.isProxy` where Node is at hand): a Proxy is
   * then refused before any of its traps runs. Core stays free of Node, so the caller passes it.
   */
  readonly isProxy?: (value: object) => boolean;
}

/** More offending values than this are not worth listing one by one. */
const MAX_FAILURES = 100;

/** Longest text echoed from a definition (a thrown message, a key in a reason). */
export const MAX_ECHO_LENGTH = 2000;

/** Thrown (and caught) only inside `copyPlainData`: stop the walk, the failures are recorded. */
const STOP: unique symbol = Symbol('stop');

export function copyPlainData(value: unknown, options: PlainDataOptions): PlainDataCopy {
  const {
    maxNodes,
    maxDepth,
    maxKeys,
    maxKeyLength,
    maxText,
    isProxy,
    realm,
    every = false,
    nullPrototype = false,
  } = options;
  const anyRealm = realm === 'any';
  const objectPrototype = anyRealm ? OBJECT_PROTOTYPE : (realm?.objectPrototype ?? OBJECT_PROTOTYPE);
  const arrayPrototype = anyRealm ? ARRAY_PROTOTYPE : (realm?.arrayPrototype ?? ARRAY_PROTOTYPE);
  let nodes = 0;
  let text = 0;
  // The path of the value being copied is path[0 .. len): one array for the whole walk, copied
  // out only when something is refused (a copy per value made the walk three times slower).
  const path = newScratch<string | number>();
  const ancestors: object[] = [];
  let depth = 0;
  const failures: PlainDataFailure[] = [];

  /** Records a failure; stops the walk unless every failure is wanted (and there is room). */
  const refuse = (kind: PlainDataFailure['kind'], len: number, detail: string): undefined => {
    put(failures, failures.length, { kind, path: pathPrefix(path, len), detail });
    if (!every || failures.length >= MAX_FAILURES) throw STOP;
    return undefined;
  };

  /** Over a budget of the whole definition: one failure at the root replaces any others. */
  const overBudget = (detail: string): never => {
    failures.length = 0;
    put(failures, 0, { kind: 'too-large', path: [], detail });
    throw STOP;
  };
  const countText = (length: number): void => {
    if (maxText !== undefined && (text += length) > maxText) {
      overBudget(
        `the definition holds more than ${maxText} characters of text (strings and keys, counted each time they are reached)`,
      );
    }
  };

  const walk = (v: unknown, len: number): unknown => {
    if (++nodes > maxNodes) overBudget(`the definition has more than ${maxNodes} values`);
    switch (typeof v) {
      case 'string':
        countText((v as string).length);
        return v;
      case 'number':
      case 'boolean':
      case 'undefined':
        return v;
      case 'function':
        return refuse('not-data', len, 'a function is not data');
      case 'symbol':
        return refuse('not-data', len, 'a symbol is not data');
      case 'bigint':
        return refuse('not-data', len, 'a bigint is not data (use a number or a string)');
    }
    if (v === null) return null;
    const obj = v as object;
    // Before anything reads it: every read of a Proxy (its prototype, its keys, a value) is a trap.
    if (isProxy !== undefined && isProxy(obj)) {
      return refuse(
        'not-data',
        len,
        'a Proxy is not data (its traps run code on every read; use the object it wraps)',
      );
    }
    if (len > maxDepth) return refuse('too-large', len, `nesting is deeper than ${maxDepth} levels`);
    for (let i = 0; i < depth; i++) {
      if (ancestors[i] === obj) {
        // Ancestor i sits at path length i: its path is a prefix of this one.
        const closes = show(pathPrefix(path, i));
        return refuse('not-data', len, `a cycle: this value contains itself (at ${closes})`);
      }
    }
    put(ancestors, depth, obj);
    depth++;
    try {
      return isArray(obj) ? walkArray(obj, len) : walkObject(obj, len);
    } catch (err) {
      if (err === STOP) throw err;
      // A Proxy trap (ownKeys, getPrototypeOf, a revoked Proxy, ...) threw: not readable as data.
      return refuse('not-data', len, `the value cannot be read: ${describeThrown(err)}`);
    } finally {
      depth--;
    }
  };

  const walkArray = (arr: readonly unknown[], len: number): unknown[] | undefined => {
    const proto: unknown = getPrototypeOf(arr);
    // Only an Array.prototype is itself an array; a subclass's prototype is an ordinary object.
    const plain = anyRealm ? isArray(proto) : proto === ARRAY_PROTOTYPE || proto === arrayPrototype;
    if (!plain) return refuse('not-data', len, 'an Array subclass is not data');
    const length = arr.length;
    if (typeof length !== 'number' || length > maxNodes) {
      return refuse('too-large', len, `an array of ${StringCtor(length)} items`);
    }
    const out = newScratch<unknown>();
    for (let i = 0; i < length; i++) {
      path[len] = i;
      out[i] = walk(readProperty(arr, i, len + 1), len + 1);
    }
    return setPrototypeOf(out, ARRAY_PROTOTYPE) as unknown[];
  };

  const walkObject = (obj: object, len: number): Record<string, unknown> | undefined => {
    if (!isPlainObject(obj)) {
      return refuse('not-data', len, `${describeInstance(obj)} is not plain data (use an object literal)`);
    }
    const symbols = getOwnPropertySymbols(obj);
    if (symbols.length > 0)
      refuse('not-data', len, `a symbol key (${describeSymbol(symbols[0]!)}) is not data`);
    // Own enumerable string keys: what spread and JSON see.
    const names = keys(obj);
    if (maxKeys !== undefined && names.length > maxKeys) {
      return refuse(
        'too-large',
        len,
        `an object with ${names.length} keys is refused (at most ${maxKeys}, far more than any site has)`,
      );
    }
    // Null prototype while filling: no setter of any prototype can see a write, and a key named
    // `__proto__` is an ordinary own key.
    const out = create(null) as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) {
      const key = names[i]!;
      if (maxKeyLength !== undefined && key.length > maxKeyLength) {
        refuse(
          'too-large',
          len,
          `a key of ${key.length} characters is refused (at most ${maxKeyLength}): ${JSON.stringify(capText(key, 40))}`,
        );
        continue;
      }
      countText(key.length);
      path[len] = key;
      out[key] = walk(readProperty(obj, key, len + 1), len + 1);
    }
    return nullPrototype ? out : (setPrototypeOf(out, OBJECT_PROTOTYPE) as Record<string, unknown>);
  };

  const isPlainObject = (obj: object): boolean => {
    const proto: unknown = getPrototypeOf(obj);
    if (proto === null || proto === OBJECT_PROTOTYPE || proto === objectPrototype) return true;
    // Another realm's Object.prototype is an ordinary object whose own prototype is null.
    return (
      anyRealm &&
      typeof proto === 'object' &&
      getPrototypeOf(proto) === null &&
      apply(objectToString, obj, []) === '[object Object]'
    );
  };

  /** Reads `obj[key]` (a getter runs here, once); `len` is the property's path length. */
  const readProperty = (obj: object, key: string | number, len: number): unknown => {
    try {
      return (obj as Record<string | number, unknown>)[key];
    } catch (err) {
      return refuse('not-data', len, `reading this property threw: ${describeThrown(err)}`);
    }
  };

  let out: unknown;
  try {
    out = walk(value, 0);
  } catch (err) {
    if (err !== STOP) throw err; // every read above is guarded: this is a bug of ours, not input
  }
  return failures.length === 0 ? { ok: true, value: out, text } : { ok: false, failures };
}

/**
 * An array with no prototype: writing `a[i] = v` finds no setter anywhere (a planted
 * `Array.prototype[0]` setter never sees it), and is as fast as a plain array write.
 */
function newScratch<T>(): T[] {
  return setPrototypeOf([], null) as T[];
}

/** A fresh copy of path[0 .. len). */
function pathPrefix(path: readonly (string | number)[], len: number): DataPath {
  const out: DataPath = [];
  for (let i = 0; i < len; i++) put(out, i, path[i]);
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
  DATA.value = undefined; // keep no reference to the input's data
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
    if (isError(err))
      return capText(`${capText(StringCtor(err.name), 200)}: ${StringCtor(err.message)}`, MAX_ECHO_LENGTH);
    return capText(StringCtor(err), MAX_ECHO_LENGTH);
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
