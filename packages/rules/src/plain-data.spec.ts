import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { copyPlainData } from './plain-data';

describe('copyPlainData', () => {
  it('copies plain data, keeping __proto__ as an ordinary key', () => {
    const input = JSON.parse('{"a":[1,"x",null,true],"__proto__":{"b":2}}') as unknown;
    const result = copyPlainData(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.stringify(result.value)).toBe('{"a":[1,"x",null,true],"__proto__":{"b":2}}');
    expect(Object.getPrototypeOf(result.value)).toBeNull();
  });

  it('accepts objects from another realm', () => {
    const foreign = runInNewContext('({ a: { b: [1, 2] } })') as unknown;
    expect(copyPlainData(foreign)).toMatchObject({ ok: true });
  });

  it('shares no reference with the input', () => {
    const inner = { x: 1 };
    const result = copyPlainData({ a: inner, b: inner });
    if (!result.ok) throw new Error('expected a copy');
    inner.x = 2;
    expect(JSON.stringify(result.value)).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it.each([
    ['a function', { a: { f: () => 1 } }, ['a', 'f']],
    ['a symbol', { a: [Symbol('s')] }, ['a', 0]],
    ['a bigint', { n: 1n }, ['n']],
    ['a Date', { d: new Date(0) }, ['d']],
    ['a Map', { m: new Map() }, ['m']],
    ['a class instance', { c: new (class Thing {})() }, ['c']],
  ])('refuses %s at its path', (_, input, path) => {
    expect(copyPlainData(input)).toMatchObject({ ok: false, failures: [{ kind: 'not-data', path }] });
  });

  it('refuses an Array subclass and a symbol key, of any realm', () => {
    const foreign = runInNewContext(
      '({ l: new (class L extends Array {})(), s: { [Symbol("k")]: 1 } })',
    ) as unknown;
    expect(copyPlainData(foreign)).toMatchObject({
      ok: false,
      failures: [
        { kind: 'not-data', path: ['l'] },
        { kind: 'not-data', path: ['s'] },
      ],
    });
    expect(copyPlainData({ l: new (class L extends Array {})() })).toMatchObject({
      ok: false,
      failures: [{ kind: 'not-data', path: ['l'] }],
    });
  });

  it('copies arrays as arrays of this realm, objects with no prototype', () => {
    const result = copyPlainData(runInNewContext('({ list: [1, { a: 2 }] })'));
    if (!result.ok) throw new Error('expected a copy');
    const list = (result.value as { list: unknown[] }).list;
    expect(Object.getPrototypeOf(list)).toBe(Array.prototype);
    expect(Object.getPrototypeOf(list[1])).toBeNull();
  });

  it('reports a cycle where it closes', () => {
    const a: Record<string, unknown> = { b: {} };
    (a.b as Record<string, unknown>).back = a;
    expect(copyPlainData(a)).toMatchObject({
      ok: false,
      failures: [{ kind: 'not-data', path: ['b', 'back'] }],
    });
  });

  it('reports a throwing getter at its path', () => {
    const input = {
      hosts: {
        get infra1(): never {
          throw new Error('boom');
        },
      },
    };
    expect(copyPlainData(input)).toMatchObject({
      ok: false,
      failures: [{ kind: 'not-data', path: ['hosts', 'infra1'] }],
    });
  });

  it('survives Proxies whose traps throw, and revoked Proxies', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    expect(copyPlainData({ p: hostile })).toMatchObject({
      ok: false,
      failures: [{ kind: 'not-data', path: ['p'] }],
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(copyPlainData([proxy])).toMatchObject({ ok: false, failures: [{ kind: 'not-data', path: [0] }] });
  });

  it('survives a thrown value that is itself hostile', () => {
    const thrown = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('again');
        },
      },
    );
    const input = {
      get x(): never {
        throw thrown;
      },
    };
    expect(copyPlainData(input)).toMatchObject({ ok: false, failures: [{ kind: 'not-data' }] });
  });

  it('reports every offending value, not only the first', () => {
    const result = copyPlainData({ a: () => 1, b: { c: new Date(0) }, d: 'fine', e: [Symbol('s')] });
    expect(result).toMatchObject({
      ok: false,
      failures: [{ path: ['a'] }, { path: ['b', 'c'] }, { path: ['e', 0] }],
    });
  });

  // The DAG case copies up to the default node budget: seconds on a loaded machine.
  it('stops at the node and depth budgets', { timeout: 30_000 }, () => {
    expect(copyPlainData(new Array(20).fill(0), { maxNodes: 10, maxDepth: 5 })).toMatchObject({
      ok: false,
      failures: [{ kind: 'too-large', path: [] }],
    });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(copyPlainData(deep)).toMatchObject({ ok: false, failures: [{ kind: 'too-large' }] });
    // A DAG that doubles at each level expands to 2^30 nodes; the budget stops it early.
    let dag: unknown = 'leaf';
    for (let i = 0; i < 30; i++) dag = { l: dag, r: dag };
    expect(copyPlainData(dag)).toMatchObject({ ok: false, failures: [{ kind: 'too-large' }] });
  });
});
