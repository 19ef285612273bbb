import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { describeThrown, toPlainData, type ValueRealm } from './to-plain-data';

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
    expect(out).toEqual({ ok: true, value: input, text: 54 });
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
      text: expect.any(Number),
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

  describe('values from another realm (a site context)', () => {
    const context = vm.createContext(Object.create(null) as object);
    const realm = vm.runInContext(
      '({ objectPrototype: Object.prototype, arrayPrototype: Array.prototype })',
      context,
    ) as ValueRealm;
    const foreign = (code: string): unknown => vm.runInContext(`(${code})`, context);

    it('copies its arrays and objects into this realm', () => {
      const out = toPlainData(foreign("{ hosts: { a: { groups: ['g'] } }, list: [1, [2]] }"), {}, realm);
      expect(out).toEqual({ ok: true, value: { hosts: { a: { groups: ['g'] } }, list: [1, [2]] }, text: 17 });
      const value = (out.ok ? out.value : {}) as { list: unknown[] };
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(value.list)).toBe(Array.prototype);
    });

    it('counts its literals as plain only when told its realm', () => {
      expect(toPlainData(foreign('{ a: 1 }'))).toMatchObject({ ok: false, path: [] });
      expect(toPlainData(foreign('{ a: 1 }'), {}, realm)).toEqual({ ok: true, value: { a: 1 }, text: 1 });
    });

    it.each([
      ['a Date', '{ d: new Date(0) }', ['d']],
      ['an Array subclass', '{ l: new (class L extends Array {})() }', ['l']],
      ['a Promise', '{ p: Promise.resolve(1) }', ['p']],
      ['a function', '{ f: () => 1 }', ['f']],
    ])('still refuses %s of that realm', (_what, code, path) => {
      expect(toPlainData(foreign(code), {}, realm)).toMatchObject({ ok: false, path });
    });

    it('describes an error of that realm like one of this realm', () => {
      const err = foreign("new RangeError('too far')");
      expect(err instanceof Error).toBe(false);
      expect(describeThrown(err)).toBe('RangeError: too far');
      const getter = foreign("{ get ip() { throw new TypeError('no ip'); } }");
      expect(toPlainData({ h: getter }, {}, realm)).toMatchObject({
        ok: false,
        path: ['h', 'ip'],
        reason: 'reading this property threw: TypeError: no ip',
      });
    });
  });

  it('copies with the built-ins it captured, whatever happens to them later', () => {
    const saved = {
      defineProperty: Object.defineProperty,
      getPrototypeOf: Object.getPrototypeOf,
      isArray: Array.isArray,
      ownKeys: Reflect.ownKeys,
      push: Array.prototype.push,
      iterator: Array.prototype[Symbol.iterator],
    };
    const define = Object.defineProperty;
    let out: ReturnType<typeof toPlainData>;
    try {
      Object.defineProperty = (() => {
        throw new Error('patched');
      }) as typeof Object.defineProperty;
      Object.getPrototypeOf = () => ({});
      Array.isArray = ((_v: unknown) => false) as typeof Array.isArray;
      Reflect.ownKeys = () => ['planted'];
      Array.prototype.push = () => {
        throw new Error('patched');
      };
      Array.prototype[Symbol.iterator] = function* () {
        yield 'planted';
      } as never;
      // An inherited `get` would make a `{ value }` descriptor an accessor; an index setter on
      // Array.prototype would see every element written by assignment.
      define(Object.prototype, 'get', { value: () => 'planted', configurable: true });
      define(Array.prototype, '0', {
        set() {
          throw new Error('setter ran');
        },
        configurable: true,
      });
      out = toPlainData({ description: 'own', list: ['a', { b: 1 }], bad: [() => 1] });
    } finally {
      Reflect.deleteProperty(Array.prototype, '0');
      Reflect.deleteProperty(Object.prototype, 'get');
      Object.defineProperty = saved.defineProperty;
      Object.getPrototypeOf = saved.getPrototypeOf;
      Array.isArray = saved.isArray;
      Reflect.ownKeys = saved.ownKeys;
      Array.prototype.push = saved.push;
      Array.prototype[Symbol.iterator] = saved.iterator;
    }
    expect(out).toEqual({ ok: false, path: ['bad', 0], reason: 'a function is not data', tooLarge: false });
    expect(toPlainData({ description: 'own', list: ['a', { b: 1 }] })).toEqual({
      ok: true,
      value: { description: 'own', list: ['a', { b: 1 }] },
      text: 20,
    });
  });
});
