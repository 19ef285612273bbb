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
 */

export type DataPath = (string | number)[];

export type PlainDataResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly path: DataPath; readonly reason: string };

export interface PlainDataLimits {
  /** @default 64 */
  readonly maxDepth?: number;
  /** @default 200_000 */
  readonly maxNodes?: number;
}

class NotData extends Error {
  readonly path: DataPath;
  constructor(path: DataPath, reason: string) {
    super(reason);
    this.path = path;
  }
}

export function toPlainData(value: unknown, limits: PlainDataLimits = {}): PlainDataResult {
  const maxDepth = limits.maxDepth ?? 64;
  const maxNodes = limits.maxNodes ?? 200_000;
  let nodes = 0;
  const ancestors: object[] = [];
  const ancestorPaths: DataPath[] = [];

  const walk = (v: unknown, path: DataPath): unknown => {
    if (++nodes > maxNodes) throw new NotData(path, `the definition has more than ${maxNodes} values`);
    switch (typeof v) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
        return v;
      case 'function':
        throw new NotData(path, 'a function is not data');
      case 'symbol':
        throw new NotData(path, 'a symbol is not data');
      case 'bigint':
        throw new NotData(path, 'a bigint is not data (use a number or a string)');
    }
    if (v === null) return null;
    const obj = v as object;
    if (path.length > maxDepth) throw new NotData(path, `nesting is deeper than ${maxDepth} levels`);
    const seen = ancestors.indexOf(obj);
    if (seen >= 0)
      throw new NotData(path, `a cycle: this value contains itself (at ${show(ancestorPaths[seen]!)})`);
    ancestors.push(obj);
    ancestorPaths.push(path);
    try {
      return Array.isArray(obj) ? walkArray(obj, path) : walkObject(obj, path);
    } finally {
      ancestors.pop();
      ancestorPaths.pop();
    }
  };

  const walkArray = (arr: unknown[], path: DataPath): unknown[] => {
    if (Object.getPrototypeOf(arr) !== Array.prototype)
      throw new NotData(path, 'an Array subclass is not data');
    const out: unknown[] = [];
    for (let i = 0; i < arr.length; i++) out.push(walk(readProperty(arr, String(i), path, i), [...path, i]));
    return out;
  };

  const walkObject = (obj: object, path: DataPath): Record<string, unknown> => {
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      throw new NotData(path, `${describeInstance(obj)} is not plain data (use an object literal)`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Reflect.ownKeys(obj)) {
      if (typeof key === 'symbol') throw new NotData(path, `a symbol key (${String(key)}) is not data`);
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (!desc?.enumerable) continue; // what spread and JSON would skip too
      const child = walk(readProperty(obj, key, path, key), [...path, key]);
      // defineProperty, not assignment: a key named `__proto__` must stay an ordinary key.
      Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  try {
    return { ok: true, value: walk(value, []) };
  } catch (err) {
    if (err instanceof NotData) return { ok: false, path: err.path, reason: err.message };
    // A Proxy trap (ownKeys, getPrototypeOf, ...) threw: the value cannot be read as data.
    return { ok: false, path: [], reason: `the value cannot be read: ${describeThrown(err)}` };
  }
}

/** Read one property, running a getter; a throwing getter (or Proxy trap) is reported at its path. */
function readProperty(obj: object, key: string, path: DataPath, seg: string | number): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (err) {
    throw new NotData([...path, seg], `reading this property threw: ${describeThrown(err)}`);
  }
}

function describeInstance(obj: object): string {
  try {
    const name = (obj.constructor as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name ? `an instance of ${name}` : 'an object with a custom prototype';
  } catch {
    return 'an object with a custom prototype'; // a hostile `constructor` getter: describe generically
  }
}

/** A thrown value as one short line, without ever throwing itself. */
export function describeThrown(err: unknown): string {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    return String(err);
  } catch {
    return 'an unprintable value';
  }
}

function show(path: DataPath): string {
  return path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') : '(root)';
}
