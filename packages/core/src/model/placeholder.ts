/**
 * Placeholders: what a scaffold (`nx g @osa-gitops/nx-plugin:site`) writes where only the site's
 * own plan knows the value: addresses, VLAN ids, MACs, the runner label. `placeholder(x)` is typed
 * as `x`, so the definition type-checks and every rule still sees a plausible value, but at run
 * time it is a marker object around `x`, and validation reports PLACEHOLDER at each one (with its
 * line) until it is replaced by the value itself: a scaffold cannot be merged and deployed
 * unedited. Pure data: the marker survives the loader's plain-data copy like any object.
 */

/** The one key of a placeholder's marker object. */
export const PLACEHOLDER_KEY = 'osa-gitops:placeholder';

/** A stand-in for `value` that fails validation (PLACEHOLDER) until it is replaced by a real value. */
export function placeholder<T>(value: T): T {
  return { [PLACEHOLDER_KEY]: value } as T;
}

/** A marker object: a plain object whose only own key is PLACEHOLDER_KEY. */
export function isPlaceholder(value: unknown): value is { readonly [PLACEHOLDER_KEY]: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === PLACEHOLDER_KEY;
}

export interface ResolvedPlaceholders {
  /** The data with every marker replaced by the value it holds (unchanged parts are shared). */
  readonly value: unknown;
  /** Where the markers were, outermost first, in the order met. */
  readonly paths: readonly (readonly (string | number)[])[];
}

/**
 * Every placeholder in plain data (as the loader's copy returns it: arrays and plain objects),
 * and the data with each one replaced by what it holds, placeholders inside placeholders too.
 */
export function resolvePlaceholders(data: unknown): ResolvedPlaceholders {
  const paths: (string | number)[][] = [];
  const at: (string | number)[] = []; // the path being walked, copied only where a marker is
  const walk = (value: unknown): unknown => {
    let v = value;
    while (isPlaceholder(v)) {
      paths.push([...at]);
      v = v[PLACEHOLDER_KEY];
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        const r = walk(v[i]);
        at.pop();
        if (r !== v[i]) (out ??= [...v])[i] = r;
      }
      return out ?? v;
    }
    const obj = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(obj)) {
      at.push(key);
      const r = walk(obj[key]);
      at.pop();
      if (r !== obj[key]) {
        out ??= { ...obj };
        // defineProperty: a key named `__proto__` stays an ordinary key, as in the copy.
        Object.defineProperty(out, key, { value: r, enumerable: true, writable: true, configurable: true });
      }
    }
    return out ?? v;
  };
  return { value: walk(data), paths };
}
