import { Scalar } from 'yaml';

/**
 * A small block-style YAML emitter for the shapes render produces (maps, lists, ASCII strings,
 * integers, booleans, null): about 10× faster than building a `yaml` Document, which dominated
 * fleet-scale renders (bench `fleet-1000x10`). It is not a second source of truth: it must produce
 * the same bytes as `yaml`'s stringify with our pinned options, a property test
 * (`yaml-emit.spec.ts`) holds it to that, and anything outside its fast path throws
 * `UnsupportedYaml` so the caller falls back to the library.
 */

export class UnsupportedYaml extends Error {}

/** Printable ASCII only; other characters take the library path with its escaping rules. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function emitYaml(value: unknown, needsQuotes: (text: string) => boolean): string {
  const out: string[] = [];
  const scalar = (v: unknown): string => {
    if (v instanceof Scalar) {
      if (typeof v.value !== 'string' || v.type !== Scalar.QUOTE_DOUBLE)
        throw new UnsupportedYaml('scalar node');
      return doubleQuoted(v.value);
    }
    if (typeof v === 'string') return needsQuotes(v) ? doubleQuoted(v) : v;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new UnsupportedYaml('non-integer number');
      return String(v);
    }
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v === null) return 'null';
    throw new UnsupportedYaml(typeof v);
  };
  const isCollection = (v: unknown): v is object =>
    typeof v === 'object' && v !== null && !(v instanceof Scalar);
  const entries = (v: object): [string, unknown][] => {
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new UnsupportedYaml('non-plain object');
    return Object.entries(v).filter(([, x]) => x !== undefined);
  };
  const emptyFlow = (v: object): string | undefined =>
    Array.isArray(v) ? (v.length === 0 ? '[]' : undefined) : entries(v).length === 0 ? '{}' : undefined;

  // `first` is the prefix of the first line ("- " items put their first key on the dash line).
  const emitMap = (v: object, indent: string, first: string): void => {
    let prefix = first;
    for (const [key, child] of entries(v)) {
      const k = `${prefix}${scalar(key)}:`;
      prefix = indent;
      if (!isCollection(child)) {
        out.push(`${k} ${scalar(child)}`);
        continue;
      }
      const flow = emptyFlow(child);
      if (flow !== undefined) out.push(`${k} ${flow}`);
      else {
        out.push(k);
        emitBlock(child, `${indent}  `);
      }
    }
  };
  const emitSeq = (v: unknown[], indent: string): void => {
    for (const item of v) {
      if (!isCollection(item)) out.push(`${indent}- ${scalar(item)}`);
      else if (Array.isArray(item) || emptyFlow(item) !== undefined)
        throw new UnsupportedYaml('nested sequence');
      else emitMap(item, `${indent}  `, `${indent}- `);
    }
  };
  const emitBlock = (v: object, indent: string): void =>
    Array.isArray(v) ? emitSeq(v, indent) : emitMap(v, indent, indent);

  if (!isCollection(value) || emptyFlow(value) !== undefined) throw new UnsupportedYaml('top-level scalar');
  emitBlock(value, '');
  return `${out.join('\n')}\n`;
}

function doubleQuoted(text: string): string {
  if (!PRINTABLE_ASCII.test(text)) throw new UnsupportedYaml('non-ASCII or control characters');
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
