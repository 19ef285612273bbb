import { describe, expect, it } from 'vitest';
import { toPlainData } from './to-plain-data';

describe('toPlainData', () => {
  it('copies plain data, keeping shared (non-cyclic) references', () => {
    const groups = ['haproxy_hosts'];
    const input = {
      name: 'a',
      n: 1,
      t: true,
      u: undefined,
      z: null,
      hosts: { a: { groups }, b: { groups } },
    };
    const out = toPlainData(input);
    expect(out).toEqual({ ok: true, value: input });
    expect(out.ok && (out.value as typeof input).hosts.a.groups).not.toBe(groups);
  });

  it('accepts null-prototype objects and runs working getters', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const withGetter = {
      get ip() {
        return '10.0.0.1';
      },
    };
    expect(toPlainData({ bare, withGetter })).toEqual({
      ok: true,
      value: { bare: { a: 1 }, withGetter: { ip: '10.0.0.1' } },
    });
  });

  it('keeps a __proto__ key an ordinary key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const out = toPlainData(input);
    expect(out.ok && Object.getPrototypeOf(out.value)).toBe(Object.prototype);
    expect(out.ok && Object.keys(out.value as object)).toEqual(['__proto__']);
  });

  it.each([
    ['a function', { hosts: { a: { ip: () => '1' } } }, ['hosts', 'a', 'ip']],
    ['a symbol', { s: [Symbol('x')] }, ['s', 0]],
    ['a bigint', { n: 1n }, ['n']],
    ['a Date', { when: new Date(0) }, ['when']],
    ['a Map', { m: new Map() }, ['m']],
    ['a class instance', { c: new (class Host {})() }, ['c']],
    ['a Promise', Promise.resolve(1), []],
    ['a symbol key', { [Symbol('k')]: 1 }, []],
  ])('refuses %s with its path', (_what, input, path) => {
    const out = toPlainData(input);
    expect(out).toMatchObject({ ok: false, path });
  });

  it('refuses a getter that throws, at the getter', () => {
    const input = {
      hosts: {
        a: {
          get ip(): string {
            throw new Error('no ip');
          },
        },
      },
    };
    expect(toPlainData(input)).toMatchObject({
      ok: false,
      path: ['hosts', 'a', 'ip'],
      reason: expect.stringContaining('no ip'),
    });
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = { list: [] };
    (a.list as unknown[]).push({ back: a });
    expect(toPlainData(a)).toMatchObject({ ok: false, path: ['list', 0, 'back'] });
  });

  it('refuses nesting deeper than 64 and accepts 64', () => {
    const nest = (n: number): unknown => (n === 0 ? 'leaf' : { x: nest(n - 1) });
    expect(toPlainData(nest(64)).ok).toBe(true);
    expect(toPlainData(nest(66))).toMatchObject({ ok: false, reason: expect.stringContaining('64') });
  });

  it('refuses exponential expansion of shared references', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 30; i++) v = [v, v];
    expect(toPlainData(v)).toMatchObject({ ok: false, reason: expect.stringContaining('more than') });
  });

  it('reports a Proxy whose traps throw instead of throwing itself', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(toPlainData({ h: hostile })).toMatchObject({ ok: false });
  });
});
