import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitYaml, UnsupportedYaml } from './yaml-emit';
import { needsQuotes, quoted, stringifyYamlWithLibrary } from './yaml';

// Strings from the alphabets render really emits (names, addresses, MACs, Jinja, systemd values)
// plus quotes, backslashes, YAML indicators and keywords that must force quoting.
const word = fc.stringMatching(/^[A-Za-z0-9_.+:\-/ "'\\{}|*#,[\]!&%@`]{0,12}$/);
const keyword = fc.constantFrom(
  'on',
  'off',
  'yes',
  'No',
  'TRUE',
  'null',
  '802.3ad',
  '1:20',
  'e0',
  '0x1f',
  '.inf',
);
const text = fc.oneof(word, keyword);
const scalar = fc.oneof(text, fc.integer({ min: -5000, max: 5000 }), fc.boolean(), fc.constant(null));

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, tie('map'), tie('seq')),
  map: fc.dictionary(
    text,
    fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq'), text.map(quoted)),
    {
      minKeys: 1,
      maxKeys: 5,
    },
  ),
  seq: fc.array(fc.oneof({ depthSize: 'small' }, scalar, tie('map')), { minLength: 1, maxLength: 4 }),
}));

describe('emitYaml', () => {
  it('writes the same bytes as the yaml library with our pinned options', () => {
    let fast = 0;
    fc.assert(
      fc.property(tree, (value) => {
        let ours: string;
        try {
          ours = emitYaml(value, needsQuotes);
        } catch (err) {
          if (err instanceof UnsupportedYaml) return; // the library path is taken instead
          throw err;
        }
        fast++;
        expect(ours).toBe(stringifyYamlWithLibrary(value));
      }),
      { numRuns: 3000 },
    );
    // The comparison must really run on the fast path, not only on fallbacks.
    expect(fast).toBeGreaterThan(500);
  });

  it('writes empty collections in flow style and skips undefined values, as the library does', () => {
    const value = { a: [], b: {}, c: undefined, d: [{ e: 1, f: [] }] };
    expect(emitYaml(value, needsQuotes)).toBe(stringifyYamlWithLibrary(value));
  });

  it('leaves what it does not support to the library', () => {
    expect(() => emitYaml({ a: 'é' }, needsQuotes)).toThrow(UnsupportedYaml);
    expect(() => emitYaml({ a: 'x\ny' }, needsQuotes)).toThrow(UnsupportedYaml);
    expect(() => emitYaml({ a: 1.5 }, needsQuotes)).toThrow(UnsupportedYaml);
    expect(() => emitYaml({ a: [[1]] }, needsQuotes)).toThrow(UnsupportedYaml);
    expect(() => emitYaml('top', needsQuotes)).toThrow(UnsupportedYaml);
  });
});
