/**
 * Turn a definition's default export into plain data, or say precisely why it is not: the first
 * offending value, with its path. The copier is core's `copyPlainData` (one copier for the loader
 * and validation, ADR 0012; what plain means and how hostile values are handled are described
 * there). Here it runs in the evaluator with the loader's limits and the site's realm: `realm`
 * names that realm's `Object.prototype` and `Array.prototype` so its literals count as plain, and
 * the copy is made of this realm's objects, so it survives `postMessage` unchanged.
 *
 * Imported from core's file, not its door: the evaluator's bundle stays this one module, loaded
 * (and its built-ins captured) before any definition runs.
 */
import {
  copyPlainData,
  describeThrown,
  MAX_ECHO_LENGTH,
  type DataPath,
  type ValueRealm,
} from '@osa-gitops/core/src/plain-data';

export { describeThrown, MAX_ECHO_LENGTH, type DataPath, type ValueRealm };

export type PlainDataResult =
  | { readonly ok: true; readonly value: unknown; readonly text: number }
  | {
      readonly ok: false;
      readonly path: DataPath;
      readonly reason: string;
      /** Over one of the limits above, rather than not data at all. */
      readonly tooLarge: boolean;
    };

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
  /**
   * Characters of text (string values and keys, each time reached): what is copied here is then
   * serialized to the CLI, and 600 references to one 1 MiB string once took it to 656 MB.
   * @default MAX_SITE_TEXT
   */
  readonly maxText?: number;
}

/**
 * Text one definition may send back. A valid site is far smaller (names and addresses, at most
 * 5,000 hosts; the examples are a few KB), and the schema refuses the rest anyway.
 */
export const MAX_SITE_TEXT = 8 * 1024 * 1024;

/** Longest key copied: every key is echoed in issue paths (a 50 MB key was printed whole). */
export const MAX_KEY_LENGTH = 1024;

export function toPlainData(
  value: unknown,
  limits: PlainDataLimits = {},
  realm?: ValueRealm,
  isProxy?: (value: object) => boolean,
): PlainDataResult {
  const copy = copyPlainData(value, {
    maxDepth: limits.maxDepth ?? 64,
    maxNodes: limits.maxNodes ?? 200_000,
    maxKeys: limits.maxKeys ?? 20_000,
    maxKeyLength: MAX_KEY_LENGTH,
    maxText: limits.maxText ?? MAX_SITE_TEXT,
    ...(realm === undefined ? {} : { realm }),
    ...(isProxy === undefined ? {} : { isProxy }),
  });
  if (copy.ok) return { ok: true, value: copy.value, text: copy.text };
  const first = copy.failures[0]!;
  return { ok: false, path: first.path, reason: first.detail, tooLarge: first.kind === 'too-large' };
}
