import { beforeAll, describe, expect, it } from 'vitest';
import { loadSites, type LoadResult } from '../load-sites';
import { createTestWorkspace } from '../test-workspace';

/**
 * Issue 26, item 1: a definition that set `Error.prepareStackTrace` and threw was handed, when the
 * evaluator read `.stack` from its own side, a CallSite array made in the evaluator's realm.
 * Through it the definition replaced the evaluator's `Array.prototype[Symbol.iterator]`, which ran
 * on the spread that assembled results: its own error became valid data and another site's
 * host address changed.
 *
 * Every door below is one site. Each looks at every object the evaluator's side hands it (hook
 * arguments, `this`, trap arguments, descriptors, resolve functions) and, when one is not of its
 * own realm, does what the attack did: it patches that realm's Array iterator and
 * Object.prototype to forge results in flight (its own error into data, every host address into
 * 6.6.6.6). Victims before, between and after the doors must load exactly what they load alone,
 * and each door must be a load error of its own.
 */

const site = (name: string, body: string): Record<string, string> => ({
  [`environments/${name}/environment.ts`]: body,
});

/** Shared by the doors: detect an object of another realm and do the attack's damage through it. */
const PLANT = `
const OWN_OBJECT_PROTOTYPE = Object.prototype;
const protoOf = Object.getPrototypeOf;
export const report = { foreign: 0, planted: 0, refused: 0, hookRuns: 0 };

function rootOf(x: unknown): unknown {
  let p: any = x;
  let last: unknown = undefined;
  for (let i = 0; i < 64 && p !== null && (typeof p === 'object' || typeof p === 'function'); i++) {
    last = p;
    p = protoOf(p);
  }
  return last;
}

/** An object (or function) whose prototype chain ends in another realm's Object.prototype. */
export function isForeign(x: unknown): boolean {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  try {
    const root = rootOf(x);
    return root !== OWN_OBJECT_PROTOTYPE && root !== x;
  } catch {
    return false;
  }
}

/** Rewrites result messages in flight, as the issue's attack did. */
function forge(list: any): void {
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (m === null || typeof m !== 'object') continue;
    if (m.type === 'threw' || m.type === 'not-data') list[i] = { type: 'data', site: m.site, value: { name: m.site, forged: true } };
    const hosts = m.value && m.value.hosts;
    if (hosts && typeof hosts === 'object') for (const k of Object.keys(hosts)) hosts[k].ip = '6.6.6.6';
  }
}

export function plant(x: unknown): void {
  if (!isForeign(x)) return;
  report.foreign++;
  let took = false;
  try {
    const op: any = rootOf(x);
    const ForeignObject = op.constructor;
    const ap: any = protoOf(ForeignObject.keys({}));
    const iterator = ap[Symbol.iterator];
    const patched = function (this: any) {
      try { forge(this); } catch {}
      return iterator.call(this);
    };
    try { ap[Symbol.iterator] = patched; } catch {}
    try { op.planted = 'door'; } catch {}
    try {
      ForeignObject.defineProperty(op, 'ip', { get: () => '6.6.6.6', set() {}, configurable: true });
    } catch {}
    try {
      const ep: any = protoOf(protoOf(x)) ?? {};
      if (ep.constructor) ep.constructor.prepareStackTrace = (_e: unknown, cs: unknown) => { plant(cs); return ''; };
    } catch {}
    took = ap[Symbol.iterator] === patched || op.planted === 'door' || op.ip === '6.6.6.6';
  } catch {}
  if (took) report.planted++;
  else report.refused++;
}

export function plantAll(...xs: unknown[]): void {
  for (const x of xs) plant(x);
}

/** An error whose message, read after the evaluator's other reads, tells what the door saw. */
export function doorError(door: string): Error {
  const err = new Error(door);
  Object.defineProperty(err, 'message', { get: () => door + ' ' + JSON.stringify(report) });
  return err;
}
`;

const victim = (name: string): Record<string, string> =>
  site(
    name,
    `export default { name: '${name}', description: 'own text', hosts: { a: { ip: '10.0.0.1', groups: ['g'] } }, probe: [typeof (Object.prototype as any).planted, typeof (Object.prototype as any).ip] };\n`,
  );

const DOORS: Record<string, string> = {
  // The issue's attack: the hook is called when the evaluator reads .stack.
  ...site(
    'door-prepare-stack',
    `import { doorError, plantAll, report } from '../_doors/plant';
(Error as any).prepareStackTrace = (err: unknown, cs: any) => {
  report.hookRuns++;
  plantAll(err, cs, cs && cs[0], cs && cs[0] && cs[0].getThis && cs[0].getThis(), cs && cs[0] && cs[0].getFunction && cs[0].getFunction());
  return 'forged stack';
};
throw doorError('prepare-stack');
`,
  ),
  // The same hook, made permanent on the site's Error and reached through a replaced global Error
  // too, so that resetting the hook cannot work: reading .stack must be harmless all the same.
  ...site(
    'door-prepare-stack-pinned',
    `import { doorError, plantAll, report } from '../_doors/plant';
const hook = (err: unknown, cs: any) => {
  report.hookRuns++;
  plantAll(err, cs, cs && cs[0]);
  return 'forged stack';
};
Object.defineProperty(Error, 'prepareStackTrace', { value: hook, writable: false, configurable: false });
const err = doorError('prepare-stack-pinned');
Object.defineProperty(globalThis, 'Error', { value: { prepareStackTrace: hook }, writable: false, configurable: false });
const o: any = {};
(Error as any).captureStackTrace?.(o);
throw err;
`,
  ),
  // A stack overflow inside Node's own stack-trace callback is an error of the evaluator's realm.
  ...site(
    'door-stack-overflow',
    `import { doorError, plant } from '../_doors/plant';
function probe(): void {
  try { (new Error('probe') as any).stack; } catch (e) { plant(e); }
  try { ({} as any).toString.call(undefined); } catch (e) { plant(e); }
}
function deep(n: number): void {
  try { deep(n + 1); } catch (e) { plant(e); }
  probe();
}
deep(0);
(Error as any).prepareStackTrace = (_e: unknown, cs: unknown) => { plant(cs); return ''; };
deep(0);
throw doorError('stack-overflow');
`,
  ),
  // Species: any array method of the evaluator's realm run on a site array would build its result
  // through this constructor, and write into the Proxy with descriptors of the evaluator's realm.
  ...site(
    'door-species',
    `import { doorError, plantAll } from '../_doors/plant';
const trap = { defineProperty(t: any, k: any, d: any) { plantAll(t, d, d && d.value); return Reflect.defineProperty(t, k, d); },
  set(t: any, k: any, v: any, r: any) { plantAll(v, r); t[k] = v; return true; } };
function Species(this: unknown, ...args: unknown[]) { plantAll(this, ...args); return new Proxy([], trap); }
const C: any = function () {};
C[Symbol.species] = Species;
const list: any = [{ name: 'x' }, 'y'];
Object.defineProperty(list, 'constructor', { value: C, enumerable: false });
class Sub extends Array { static get [Symbol.species]() { return Species; } }
const thrown: any = new Sub();
thrown.push('door-species');
Object.defineProperty(thrown, 'message', { get: () => doorError('species').message });
export default { name: 'door-species', list, sub: thrown };
`,
  ),
  // Thenables: nothing of the evaluator may await or resolve with a definition's value.
  ...site(
    'door-thenable',
    `import { plantAll } from '../_doors/plant';
export function then(this: unknown, ...args: unknown[]) { plantAll(this, ...args); }
export default {
  name: 'door-thenable',
  then(this: unknown, ...args: unknown[]) { plantAll(this, ...args); },
  nested: { then(this: unknown, ...args: unknown[]) { plantAll(this, ...args); } },
};
`,
  ),
  // Getters on a thrown error, and every conversion the evaluator might apply to it.
  ...site(
    'door-error-getters',
    `import { doorError, plantAll } from '../_doors/plant';
const err: any = doorError('error-getters');
const seen = function (this: unknown, ...args: unknown[]) { plantAll(this, ...args); return 'seen'; };
for (const key of ['name', 'stack', 'constructor', 'cause', 'code', 'errors', 'toString', 'valueOf']) {
  Object.defineProperty(err, key, { get() { plantAll(this); return key === 'toString' || key === 'valueOf' ? seen : 'seen'; }, configurable: true });
}
Object.defineProperty(err, Symbol.toPrimitive, { value: seen });
Object.defineProperty(err, Symbol.toStringTag, { get() { plantAll(this); return 'Door'; } });
throw err;
`,
  ),
  // toJSON and conversions in the exported value.
  ...site(
    'door-tojson',
    `import { plantAll } from '../_doors/plant';
const conv = function (this: unknown, ...args: unknown[]) { plantAll(this, ...args); return 'converted'; };
const value: any = { name: 'door-tojson', hosts: { a: { ip: '10.0.0.9' } } };
for (const o of [value, value.hosts, value.hosts.a]) {
  Object.defineProperty(o, 'toJSON', { value: conv, enumerable: false });
  Object.defineProperty(o, Symbol.toPrimitive, { value: conv, enumerable: false });
  Object.defineProperty(o, 'toString', { value: conv, enumerable: false });
}
value.last = conv;
export default value;
`,
  ),
  // Proxies: every trap looks at its arguments; the exported value is one.
  ...site(
    'door-proxy',
    `import { plantAll } from '../_doors/plant';
const handler: ProxyHandler<any> = {};
for (const trap of ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'deleteProperty',
  'getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions', 'apply', 'construct']) {
  (handler as any)[trap] = (...args: unknown[]) => { plantAll(...args); return (Reflect as any)[trap](...args); };
}
const hosts = new Proxy({ a: { ip: '10.0.0.9', groups: ['g'] } }, handler);
export default new Proxy({ name: 'door-proxy', hosts }, handler);
`,
  ),
  // A Proxy thrown: the evaluator describes it and looks for its stack.
  ...site(
    'door-proxy-thrown',
    `import { doorError, plantAll } from '../_doors/plant';
const handler: ProxyHandler<any> = {};
for (const trap of ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'apply']) {
  (handler as any)[trap] = (...args: unknown[]) => { plantAll(...args); return (Reflect as any)[trap](...args); };
}
throw new Proxy(doorError('proxy-thrown'), handler);
`,
  ),
};

const doors = Object.keys(DOORS).map((f) => f.split('/')[1]!);
/** A victim before every door and one after the last: a forged message in flight would reach one. */
const victims = [...doors.map((_, i) => `victim-${i}`), `victim-${doors.length}`];
const ALL: Record<string, string> = {
  'environments/_doors/plant.ts': PLANT,
  ...Object.assign({}, ...victims.map(victim)),
  ...DOORS,
};
const SEQUENCE = [...doors.flatMap((d, i) => [`victim-${i}`, d]), `victim-${doors.length}`];

function byName(results: readonly LoadResult[]): Map<string, LoadResult> {
  return new Map(results.map((r) => [r.site, r]));
}

function messages(r: LoadResult | undefined): string {
  return r === undefined || r.ok ? '' : r.issues.map((i) => `${i.code} ${i.message}`).join('\n');
}

describe('the realm doors (issue 26)', () => {
  let root: string;
  let alone: Map<string, LoadResult>;
  beforeAll(async () => {
    root = createTestWorkspace(ALL);
    alone = byName(await loadSites(root, victims, { bundleCache: false }));
    for (const v of alone.values())
      expect(v).toMatchObject({ ok: true, value: { probe: ['undefined', 'undefined'] } });
  }, 60_000);

  /** Every victim of `results` loads exactly what it loads alone; every door is its own load error. */
  const expectContained = (results: readonly LoadResult[]): void => {
    for (const r of results) {
      if (r.site.startsWith('victim-')) expect(r, r.site).toEqual(alone.get(r.site));
      else {
        expect(r.ok, `${r.site}: ${JSON.stringify(r)}`).toBe(false);
        expect(messages(r)).not.toMatch(/"planted":[1-9]/);
        expect(messages(r)).not.toContain('6.6.6.6');
      }
    }
  };

  it.each(doors)(
    '%s, between two victims in one evaluator',
    async (door) => {
      const i = doors.indexOf(door);
      const results = await loadSites(root, [`victim-${i}`, door, `victim-${i + 1}`], { bundleCache: false });
      expectContained(results);
      if (door === 'door-stack-overflow') {
        // Found in this round: a stack overflow inside Node's own stack-trace callback hands the
        // definition a RangeError of the evaluator's realm, whatever the evaluator does (seen about
        // 90 times per run on Node 20.20 while the callback is not yet optimized, as here where no
        // stack was formatted before it in this process). Its realm is frozen (--frozen-intrinsics),
        // so every attempt to patch it through one was refused.
        expect(messages(results[1])).toMatch(/"foreign":[1-9]\d*,"planted":0,"refused":[1-9]/);
      }
    },
    60_000,
  );

  it('all doors one after another in one evaluator, each between victims', async () => {
    const results = await loadSites(root, SEQUENCE, { bundleCache: false });
    expectContained(results);
    const r = byName(results);
    expect(r.get('door-proxy')).toMatchObject({
      ok: false,
      issues: [{ code: 'LOAD_NOT_DATA', path: [], message: expect.stringContaining('a Proxy is not data') }],
    });
    // The evaluator reset the hook before reading .stack, so the location is the real one.
    expect(r.get('door-prepare-stack')).toMatchObject({
      ok: false,
      issues: [{ code: 'LOAD_FAILED', file: 'environments/_doors/plant.ts', line: expect.any(Number) }],
    });
    expect(messages(r.get('door-prepare-stack'))).toContain('"hookRuns":0');
    // A hook that cannot be reset did run (the test is not vacuous), on its own realm's objects.
    expect(messages(r.get('door-prepare-stack-pinned'))).toMatch(
      /"foreign":0,"planted":0,"refused":0,"hookRuns":[1-9]/,
    );
  }, 120_000);

  it('a hook that throws, or returns anything but a string, leaves the site a plain LOAD_FAILED', async () => {
    const root = createTestWorkspace({
      ...site(
        'hook-throws',
        "(Error as any).prepareStackTrace = () => { throw new Error('hook'); };\nthrow new Error('first');\n",
      ),
      ...site(
        'hook-object',
        "(Error as any).prepareStackTrace = () => ({ toString: () => 'x' });\nthrow new Error('second');\n",
      ),
      ...victim('z-victim'),
    });
    const results = await loadSites(root, ['hook-throws', 'hook-object', 'z-victim'], { bundleCache: false });
    expect(results).toMatchObject([
      { ok: false, issues: [{ code: 'LOAD_FAILED', message: expect.stringContaining('Error: first') }] },
      { ok: false, issues: [{ code: 'LOAD_FAILED', message: expect.stringContaining('Error: second') }] },
      { ok: true, value: { name: 'z-victim' } },
    ]);
  }, 60_000);
});
