import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchesOf, loadSites, MAX_BATCHES, type LoadResult } from './load-sites';
import { createTestWorkspace } from './test-workspace';

const site = (name: string, body: string): Record<string, string> => ({
  [`environments/${name}/environment.ts`]: body,
});

/** Every site here loads in one batch (one worker), as the generator and CLI do. */
const FILES: Record<string, string> = {
  'environments/_shared/base.ts': `
    import { definePartial } from '@osa-gitops/core';
    export const base = definePartial({ managementBridge: 'br-mgmt' });
    export const groups = ['haproxy_hosts'];
  `,
  ...site(
    'ok-site',
    `
    import { defineEnvironment } from '@osa-gitops/core';
    import { base, groups } from '../_shared/base';
    import { hostIp } from './hosts.js';
    import extra from './extra.json';
    enum Tier { Infra = 'infra' }
    export default defineEnvironment({
      ...base,
      name: 'ok-site',
      description: \`tier \${Tier.Infra}, \${extra.note}\`,
      hosts: { a: { ip: hostIp(11), groups }, b: { ip: hostIp(12), groups } },
    } as never);
  `,
  ),
  'environments/ok-site/hosts.ts': 'export const hostIp = (n: number): string => `10.0.0.${n}`;\n',
  'environments/ok-site/extra.json': '{ "note": "from json" }\n',
  ...site('syntax-error', "export default {\n  name: 'syntax-error',\n  hosts: {{\n};\n"),
  ...site(
    'child-process',
    `import { execSync } from 'node:child_process';\nexecSync('touch ${'${MARKER}'}');\nexport default { name: 'child-process' };\n`,
  ),
  ...site('uses-fs', "import * as fs from 'fs';\nexport default { name: 'uses-fs', x: fs.readFileSync };\n"),
  ...site('uses-zod', "import { z } from 'zod';\nexport default { name: 'uses-zod', x: z.string() };\n"),
  ...site('uses-cli', "import * as cli from '@osa-gitops/cli';\nexport default { name: 'uses-cli', cli };\n"),
  ...site('escapes', "import secret from '../../outside';\nexport default { name: 'escapes', secret };\n"),
  'outside.ts': 'export default 42;\n',
  ...site(
    'runtime-require',
    "const id = 'f' + 's';\nexport default { name: 'runtime-require', fs: require(id) };\n",
  ),
  ...site(
    'throwing-getter',
    "export default {\n  name: 'throwing-getter',\n  hosts: { a: { get ip(): string { throw new Error('no ip yet'); } } },\n};\n",
  ),
  ...site('throws', "import { boom } from './helper';\n\nexport default { name: 'throws', x: boom() };\n"),
  'environments/throws/helper.ts': "export function boom(): string {\n  throw new Error('kaboom');\n}\n",
  ...site(
    'function-value',
    "export default { name: 'function-value', hosts: { a: { ip: () => '10.0.0.1' } } };\n",
  ),
  ...site('mismatch', "export default { name: 'other-name' };\n"),
  ...site('no-default', "export const name = 'no-default';\n"),
  ...site('cycle', "const a: Record<string, unknown> = { name: 'cycle' };\na.self = a;\nexport default a;\n"),
  ...site(
    'no-process',
    "console.log('definitions may log; the output is swallowed');\nexport default { name: 'no-process', process: typeof process, fetch: typeof fetch, req: typeof (globalThis as Record<string, unknown>).require };\n",
  ),
  'environments/Bad_Name/environment.ts': 'export default {};\n',
};

let root: string;
let names: string[];
let results: LoadResult[];
let byName: Map<string, LoadResult>;
const marker = path.join(os.tmpdir(), `osa-loader-marker-${process.pid}`);

function issuesOf(name: string) {
  const r = byName.get(name);
  if (!r || r.ok) throw new Error(`expected ${name} to fail, got ${JSON.stringify(r)}`);
  return r.issues;
}

beforeAll(async () => {
  const files = Object.fromEntries(
    Object.entries(FILES).map(([k, v]) => [k, v.replace('${MARKER}', marker)]),
  );
  root = createTestWorkspace(files);
  names = Object.keys(files)
    .map((f) => /^environments\/([^/_][^/]*)\/environment\.ts$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);
  results = await loadSites(root, [...names, 'missing']);
  byName = new Map(results.map((r) => [r.site, r]));
}, 60_000);

describe('loadSites', () => {
  it('loads sibling, shared and JSON imports, and TS-only syntax (enum), as plain data', () => {
    expect(byName.get('ok-site')).toEqual({
      site: 'ok-site',
      file: 'environments/ok-site/environment.ts',
      ok: true,
      value: {
        managementBridge: 'br-mgmt',
        name: 'ok-site',
        description: 'tier infra, from json',
        hosts: {
          a: { ip: '10.0.0.11', groups: ['haproxy_hosts'] },
          b: { ip: '10.0.0.12', groups: ['haproxy_hosts'] },
        },
      },
    });
  });

  it('reports a syntax error with file, line and column', () => {
    expect(issuesOf('syntax-error')).toMatchObject([
      {
        code: 'LOAD_FAILED',
        site: 'syntax-error',
        file: 'environments/syntax-error/environment.ts',
        line: 3,
      },
    ]);
  });

  it('refuses node:child_process at its import line and evaluates nothing', () => {
    expect(issuesOf('child-process')).toMatchObject([
      { code: 'LOAD_FORBIDDEN_IMPORT', file: 'environments/child-process/environment.ts', line: 1 },
    ]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each(['uses-fs', 'uses-zod', 'uses-cli', 'escapes'])('refuses the import in %s', (name) => {
    expect(issuesOf(name)).toMatchObject([
      { code: 'LOAD_FORBIDDEN_IMPORT', file: `environments/${name}/environment.ts`, line: 1 },
    ]);
  });

  it('refuses a require the bundler could not see, at run time, with its line', () => {
    expect(issuesOf('runtime-require')).toMatchObject([
      { code: 'LOAD_FORBIDDEN_IMPORT', file: 'environments/runtime-require/environment.ts', line: 2 },
    ]);
  });

  it('reports a getter that throws as LOAD_NOT_DATA at its path', () => {
    expect(issuesOf('throwing-getter')).toMatchObject([
      { code: 'LOAD_NOT_DATA', path: ['hosts', 'a', 'ip'] },
    ]);
  });

  it('maps an error thrown while evaluating to the innermost definition line', () => {
    const [issue] = issuesOf('throws');
    expect(issue).toMatchObject({ code: 'LOAD_FAILED', file: 'environments/throws/helper.ts', line: 2 });
    expect(issue!.message).toContain('kaboom');
    expect(issue!.message).not.toMatch(/\n\s+at /); // no raw stack dump
  });

  it('refuses a function value at its path', () => {
    expect(issuesOf('function-value')).toMatchObject([{ code: 'LOAD_NOT_DATA', path: ['hosts', 'a', 'ip'] }]);
  });

  it('refuses cycles and a missing default export', () => {
    expect(issuesOf('cycle')).toMatchObject([{ code: 'LOAD_NOT_DATA', path: ['self'] }]);
    expect(issuesOf('no-default')).toMatchObject([{ code: 'LOAD_NOT_DATA', path: [] }]);
  });

  it('reports a name that differs from the folder', () => {
    expect(issuesOf('mismatch')).toMatchObject([
      { code: 'SITE_NAME_MISMATCH', site: 'mismatch', path: ['name'] },
    ]);
  });

  it('hides process, fetch and the real require from definitions', () => {
    expect(byName.get('no-process')).toMatchObject({
      ok: true,
      value: { process: 'undefined', fetch: 'undefined', req: 'undefined' },
    });
  });

  it('refuses invalid folder names and missing sites without evaluating them', () => {
    expect(issuesOf('Bad_Name')).toMatchObject([{ code: 'NAME_INVALID', site: 'Bad_Name' }]);
    expect(issuesOf('missing')).toMatchObject([
      { code: 'LOAD_FAILED', file: 'environments/missing/environment.ts' },
    ]);
  });
});

describe('loadSites in batches (a pipeline: batch k evaluated while k+1 is bundled)', () => {
  it('cuts sites in order into at most MAX_BATCHES batches of at least the minimum', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    expect(batchesOf(ids).map((b) => b.length)).toEqual([500, 500]);
    expect(batchesOf(ids).flat()).toEqual(ids);
    expect(batchesOf(ids.slice(0, 399)).map((b) => b.length)).toEqual([399]);
    expect(batchesOf(ids.slice(0, 401)).map((b) => b.length)).toEqual([201, 200]);
    expect(batchesOf(ids.slice(0, 3))).toEqual([[0, 1, 2]]);
    expect(batchesOf([])).toEqual([]);
    expect(batchesOf(ids, 1)).toHaveLength(MAX_BATCHES);
  });

  it('gives every site the same result as one batch, and hands each batch over as it is loaded', async () => {
    const handed: string[][] = [];
    const batched = await loadSites(root, [...names, 'missing'], {
      batchMinSites: 4,
      onLoaded: (batch) => handed.push(batch.map((r) => r.site)),
    });
    // The bad sites sit in different batches: syntax errors (bisected builds), a throw (mapped
    // to its line through a rebuilt source map), refused imports, a cycle.
    expect(batched).toEqual(results);
    expect(handed.length).toBeGreaterThan(2);
    expect(handed.flat().sort()).toEqual([...names, 'missing'].sort());
  }, 60_000);
});

describe('loadSites timeouts', () => {
  it('stops an endless loop with LOAD_TIMEOUT and still loads the sites before and after it', async () => {
    const dir = createTestWorkspace({
      ...site('aa-before', "export default { name: 'aa-before' };\n"),
      ...site('loops', "while (true) {}\nexport default { name: 'loops' };\n"),
      ...site('zz-after', "export default { name: 'zz-after' };\n"),
    });
    const results = await loadSites(dir, ['aa-before', 'loops', 'zz-after'], { timeoutMs: 1000 });
    expect(results).toMatchObject([
      { site: 'aa-before', ok: true, value: { name: 'aa-before' } },
      { site: 'loops', ok: false, issues: [{ code: 'LOAD_TIMEOUT' }] },
      { site: 'zz-after', ok: true, value: { name: 'zz-after' } },
    ]);
  }, 30_000);

  it('also stops a getter that loops while the worker copies the value', async () => {
    const dir = createTestWorkspace({
      ...site('getter-loops', "export default { name: 'getter-loops', get ip(): string { for (;;) {} } };\n"),
      ...site('zz-after', "export default { name: 'zz-after' };\n"),
    });
    const results = await loadSites(dir, ['getter-loops', 'zz-after'], { timeoutMs: 1000 });
    expect(results).toMatchObject([
      { site: 'getter-loops', ok: false, issues: [{ code: 'LOAD_TIMEOUT' }] },
      { site: 'zz-after', ok: true, value: { name: 'zz-after' } },
    ]);
  }, 30_000);
});

describe('loadSites: memory', () => {
  const ok = (name: string): Record<string, string> => site(name, `export default { name: '${name}' };\n`);
  /** Writes one byte per page, so the memory is really resident, not only reserved. */
  const touch =
    'const touch = (b: Uint8Array): Uint8Array => { for (let p = 0; p < b.length; p += 4096) b[p] = 1; return b; };\n';

  it('caps memory outside the heap: typed arrays fail inside the definition, WebAssembly is absent', async () => {
    const dir = createTestWorkspace({
      ...site(
        'typed',
        `${touch}const a: Uint8Array[] = [];\nfor (let i = 0; i < 12; i++) a.push(touch(new Uint8Array(256 * 1024 * 1024)));\nexport default { name: 'typed', n: a.length };\n`,
      ),
      ...site(
        'wasm',
        "export default { name: 'wasm', w: typeof (globalThis as any).WebAssembly, s: typeof (globalThis as any).SharedArrayBuffer, a: typeof (globalThis as any).Atomics };\n",
      ),
      ...ok('z-after'),
    });
    const results = await loadSites(dir, ['typed', 'wasm', 'z-after'], { timeoutMs: 60_000 });
    expect(results).toMatchObject([
      {
        site: 'typed',
        ok: false,
        issues: [
          {
            code: 'LOAD_FAILED',
            line: 3,
            message: expect.stringContaining('RangeError: Array buffer allocation failed') as string,
          },
        ],
      },
      { site: 'wasm', ok: true, value: { w: 'undefined', s: 'undefined', a: 'undefined' } },
      { site: 'z-after', ok: true },
    ]);
  }, 120_000);

  it("a site that kills the evaluator is that site's LOAD_FAILED; every other site of the batch keeps its result", async () => {
    // b-garbage leaves 700 MiB for the garbage collector; c-heap-bomb fills the JS heap until the
    // evaluator dies; d-big sends back more than a pipe holds, right before e-loops never ends.
    const dir = createTestWorkspace({
      ...ok('a-first'),
      ...site(
        'b-garbage',
        `${touch}const keep: Uint8Array[] = [];\nfor (let i = 0; i < 7; i++) keep.push(touch(new Uint8Array(100 * 1024 * 1024)));\nexport default { name: 'b-garbage', n: keep.length };\n`,
      ),
      ...site(
        'c-heap-bomb',
        "const hoard: number[][] = [];\nfor (;;) hoard.push(new Array(1 << 20).fill(hoard.length));\nexport default { name: 'c-heap-bomb' };\n",
      ),
      ...site('d-big', "export default { name: 'd-big', description: 'x'.repeat(3 * 1024 * 1024) };\n"),
      ...site('e-loops', "for (;;) {}\nexport default { name: 'e-loops' };\n"),
      ...ok('f-last'),
    });
    const names = ['a-first', 'b-garbage', 'c-heap-bomb', 'd-big', 'e-loops', 'f-last'];
    const results = await loadSites(dir, names, { timeoutMs: 8_000 });
    expect(results.map((r) => [r.site, r.ok ? 'ok' : r.issues.map((i) => i.code).join()])).toEqual([
      ['a-first', 'ok'],
      ['b-garbage', 'ok'],
      ['c-heap-bomb', 'LOAD_FAILED'],
      ['d-big', 'ok'],
      ['e-loops', 'LOAD_TIMEOUT'],
      ['f-last', 'ok'],
    ]);
    expect(results[2]).toMatchObject({
      issues: [{ message: "evaluation ran out of memory (the evaluator's JS heap limit, 256 MiB)" }],
    });
    expect(results[3]).toMatchObject({
      value: { description: expect.stringMatching(/^x{3145728}$/) as string },
    });
  }, 180_000);
});

describe('loadSites: each site in its own realm', () => {
  /** Sorted names, so each patcher is evaluated before its victims in the same worker. */
  const victim = (name: string): Record<string, string> =>
    site(
      name,
      `export default { name: '${name}', description: 'own text', hosts: { a: { ip: '10.0.0.1', groups: ['g'] } }, probe: [typeof (Object.prototype as Record<string, unknown>).planted, typeof (Array.prototype as unknown as Record<string, unknown>).planted] };\n`,
    );
  const victimValue = (name: string) => ({
    name,
    description: 'own text',
    hosts: { a: { ip: '10.0.0.1', groups: ['g'] } },
    probe: ['undefined', 'undefined'],
  });

  it('a definition that patches built-ins changes nothing another site loads', async () => {
    const dir = createTestWorkspace({
      ...site(
        'a-patcher',
        [
          'const define = Object.defineProperty;',
          'Object.defineProperty = function (o: object, k: PropertyKey, d: PropertyDescriptor) {',
          "  if (k === 'description' && 'value' in d) d = { ...d, value: 'planted' };",
          '  return define(o, k, d);',
          '} as typeof Object.defineProperty;',
          "Array.prototype.push = function () { throw new Error('push patched'); };",
          "JSON.stringify = () => 'planted';",
          'Object.getPrototypeOf = () => ({ planted: true });',
          'Array.isArray = () => false;',
          "Reflect.ownKeys = () => ['planted'];",
          "(Object.prototype as Record<string, unknown>).planted = 'yes';",
          "(Array.prototype as unknown as Record<string, unknown>).planted = 'yes';",
          // An inherited `get` would turn a `{ value }` descriptor literal into an accessor.
          "define(Object.prototype, 'get', { value: () => 'planted', configurable: true });",
          "define(Array.prototype, '0', { set() { throw new Error('setter ran'); }, configurable: true });",
          "export default { name: 'a-patcher' };",
          '',
        ].join('\n'),
      ),
      ...victim('b-victim'),
      ...victim('c-victim'),
    });
    const results = await loadSites(dir, ['a-patcher', 'b-victim', 'c-victim']);
    // The patcher breaks only itself (its own defineProperty/getter patch makes esbuild's export
    // helper misbehave or not); the sites after it load exactly what their files say.
    expect(results.slice(1)).toEqual([
      {
        site: 'b-victim',
        file: 'environments/b-victim/environment.ts',
        ok: true,
        value: victimValue('b-victim'),
      },
      {
        site: 'c-victim',
        file: 'environments/c-victim/environment.ts',
        ok: true,
        value: victimValue('c-victim'),
      },
    ]);
  }, 60_000);

  it('the classic vm escapes stay inside the site context', async () => {
    const dir = createTestWorkspace({
      // this.constructor.constructor is the context's Function, not the evaluator's; and it cannot
      // compile code from a string there (code generation is off in site contexts).
      ...site(
        'a-constructor',
        [
          'const g = (function (this: unknown) { return this; })() ?? globalThis;',
          "const outer = (globalThis as any).constructor.constructor('return this')();",
          "outer.Object.defineProperty = () => { throw new Error('patched via constructor'); };",
          "export default { name: 'a-constructor', sameGlobal: outer === globalThis, process: typeof outer.process, g: typeof g };",
          '',
        ].join('\n'),
      ),
      // A getter run by the worker's copy loop looks for a worker function on its own stack.
      ...site(
        'a-stack',
        [
          'let found = "none";',
          'const value = {',
          "  name: 'a-stack',",
          '  get probe(): string {',
          '    const E = Error as any;',
          '    const prev = E.prepareStackTrace;',
          '    E.prepareStackTrace = (_e: unknown, cs: unknown) => cs;',
          '    const frames = (new Error() as any).stack as { getFunction(): any }[];',
          '    E.prepareStackTrace = prev;',
          '    for (const c of frames) {',
          '      const f = c.getFunction();',
          '      if (f && f.constructor !== Function) {',
          "        const outer = f.constructor('return this')();",
          "        outer.Object.defineProperty = () => { throw new Error('patched via stack'); };",
          "        found = 'a worker function';",
          '      }',
          '    }',
          '    return found;',
          '  },',
          '};',
          'export default value;',
          '',
        ].join('\n'),
      ),
      ...victim('b-victim'),
    });
    const results = await loadSites(dir, ['a-constructor', 'a-stack', 'b-victim']);
    expect(results).toMatchObject([
      {
        site: 'a-constructor',
        ok: false,
        issues: [
          {
            code: 'LOAD_FAILED',
            line: 2,
            message: expect.stringContaining(
              'EvalError: Code generation from strings disallowed for this context',
            ) as string,
          },
        ],
      },
      { site: 'a-stack', ok: true, value: { probe: 'none' } },
      { site: 'b-victim', ok: true, value: victimValue('b-victim') },
    ]);
  }, 60_000);

  it("a dynamic import() fails with an error of the site realm: its whole constructor chain is the site's", async () => {
    // Node used to reject a computed import() with a TypeError made in the evaluator's realm;
    // through err.constructor.constructor a definition reached the evaluator's Function, console,
    // timers and MessageChannel. Every object reachable from the error must be the site's own.
    const dir = createTestWorkspace({
      ...site(
        'imports',
        [
          "const spec = ['node', 'fs'].join(':');",
          'let seen: unknown = "not settled";',
          'import(spec).catch((err: any) => {',
          '  const own: [string, unknown][] = [',
          "    ['Error.prototype', Error.prototype], ['Object.prototype', Object.prototype], ['Error', Error],",
          "    ['Function', Function], ['Function.prototype', Function.prototype], ['Object', Object],",
          '  ];',
          '  const name = (o: unknown): string => own.find(([, v]) => v === o)?.[0] ?? "FOREIGN";',
          '  const chain: string[] = [];',
          '  for (let p = Object.getPrototypeOf(err); p !== null; p = Object.getPrototypeOf(p)) chain.push(name(p));',
          '  let climbed = "no";',
          "  try { err.constructor.constructor('return globalThis')(); climbed = 'yes'; } catch (e: any) { climbed = `${name(Object.getPrototypeOf(Object.getPrototypeOf(e)))} ${e.name}`; }",
          '  seen = {',
          '    message: String(err.message),',
          '    chain,',
          '    ctor: name(err.constructor),',
          '    ctorCtor: name(err.constructor.constructor),',
          '    ctorCtorProto: name(Object.getPrototypeOf(err.constructor.constructor)),',
          '    climbed,',
          '    reachable: [typeof (globalThis as any).MessageChannel, typeof (globalThis as any).setTimeout],',
          '  };',
          '});',
          "export default { name: 'imports', get seen(): unknown { return seen; } };",
          '',
        ].join('\n'),
      ),
      ...site(
        'evals',
        "const f = new Function('return import(\"node:fs\")');\nexport default { name: 'evals', f: typeof f };\n",
      ),
      ...victim('z-victim'),
    });
    const results = await loadSites(dir, ['imports', 'evals', 'z-victim']);
    expect(results).toMatchObject([
      {
        site: 'imports',
        ok: true,
        value: {
          seen: {
            message: 'require("node:fs") is not allowed in a definition',
            chain: ['Error.prototype', 'Object.prototype'],
            ctor: 'Error',
            ctorCtor: 'Function',
            ctorCtorProto: 'Function.prototype',
            // Code generation from strings is off in site contexts: the site's own EvalError.
            climbed: 'Error.prototype EvalError',
            reachable: ['undefined', 'undefined'],
          },
        },
      },
      {
        site: 'evals',
        ok: false,
        issues: [{ code: 'LOAD_FAILED', line: 1, message: expect.stringContaining('EvalError') as string }],
      },
      { site: 'z-victim', ok: true, value: victimValue('z-victim') },
    ]);
  }, 60_000);

  it('caps what is echoed from a definition, and refuses absurd keys by name', async () => {
    const dir = createTestWorkspace({
      ...site(
        'long-throw',
        "throw new Error('x'.repeat(10_000_000));\nexport default { name: 'long-throw' };\n",
      ),
      ...site('long-key', "export default { name: 'long-key', hosts: { ['k'.repeat(5000)]: 1 } };\n"),
      ...site(
        'many-keys',
        'const o: Record<string, number> = { name: 0 };\nfor (let i = 0; i < 30_000; i++) o[`k${i}`] = i;\nexport default o;\n',
      ),
    });
    const results = new Map(
      (await loadSites(dir, ['long-throw', 'long-key', 'many-keys'])).map((r) => [r.site, r]),
    );
    const thrown = results.get('long-throw');
    expect(thrown).toMatchObject({ ok: false, issues: [{ code: 'LOAD_FAILED', line: 1 }] });
    if (thrown && !thrown.ok) {
      expect(thrown.issues[0]!.message.length).toBeLessThan(2_200);
      expect(thrown.issues[0]!.message).toMatch(
        /x… \(9998\d{3} more characters cut\) at environments\/long-throw\/environment\.ts:1:\d+$/,
      );
    }
    expect(results.get('long-key')).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_NOT_DATA',
          path: ['hosts'],
          message: expect.stringContaining('a key of 5000 characters') as string,
        },
      ],
    });
    expect(results.get('many-keys')).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_NOT_DATA',
          path: [],
          message: expect.stringContaining('an object with 30001 keys') as string,
        },
      ],
    });
  }, 60_000);

  it('caps the text a definition sends back, and what one evaluator sends in all, naming each limit', async () => {
    // 600 references to one 1 MiB string: 2 KB of definition once took the CLI to 656 MB, and
    // ended in "the evaluator exited (code 0); did the definition call process.exit?".
    const refs = (name: string, n: number): Record<string, string> =>
      site(
        name,
        `const s = 'x'.repeat(1 << 20);\nconst list: string[] = [];\nfor (let i = 0; i < ${n}; i++) list.push(s);\nexport default { name: '${name}', list };\n`,
      );
    // Nine sites of 7 MiB each, each under the site's limit, fill most of one evaluator's 64 MiB;
    // the tenth is refused, and the site after it (a few characters) still fits.
    const full = Array.from({ length: 10 }, (_, i) => `full-${i}`);
    const dir = createTestWorkspace({
      ...refs('refs-600', 600),
      ...Object.assign({}, ...full.map((n) => refs(n, 7))),
      ...site('after', "export default { name: 'after' };\n"),
    });
    const results = await loadSites(dir, ['refs-600', ...full, 'after'], { bundleCache: false });
    expect(results[0]).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_NOT_DATA',
          path: [],
          message:
            "the default export is over the loader's limits: the definition holds more than 8388608 characters of text (strings and keys, counted each time they are reached)",
        },
      ],
    });
    expect(results.slice(1, 10).every((r) => r.ok)).toBe(true);
    expect(results[10]).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_NOT_DATA',
          path: [],
          message: expect.stringMatching(
            /^the default export is over the loader's limits: its 7340\d{3} characters of text would take this evaluator's output past its limit of 67108864 characters for one process \(the sites before it in the batch sent 66060\d{3}\)$/,
          ),
        },
      ],
    });
    expect(results[11]).toMatchObject({ ok: true });
  }, 120_000);

  it('copies arrays and objects of the site realm as plain data, and refuses its class instances', async () => {
    const dir = createTestWorkspace({
      ...site(
        'realm-data',
        "export default { name: 'realm-data', list: [1, [2, { x: 3 }]], bare: Object.assign(Object.create(null), { k: 'v' }) };\n",
      ),
      ...site('realm-date', "export default { name: 'realm-date', when: new Date(0) };\n"),
      ...site('realm-sub', "class L extends Array {}\nexport default { name: 'realm-sub', l: new L() };\n"),
    });
    const results = await loadSites(dir, ['realm-data', 'realm-date', 'realm-sub']);
    expect(results).toMatchObject([
      { ok: true, value: { name: 'realm-data', list: [1, [2, { x: 3 }]], bare: { k: 'v' } } },
      { ok: false, issues: [{ code: 'LOAD_NOT_DATA', path: ['when'] }] },
      { ok: false, issues: [{ code: 'LOAD_NOT_DATA', path: ['l'] }] },
    ]);
    const [data] = results;
    expect(data!.ok && Object.getPrototypeOf((data!.value as { list: unknown }).list)).toBe(Array.prototype);
  }, 60_000);

  it('maps an error of the site realm to its line, and a require it made to LOAD_FORBIDDEN_IMPORT', async () => {
    const dir = createTestWorkspace({
      ...site('realm-throws', "const x = 1;\nthrow new TypeError('realm ' + x);\n"),
      ...site(
        'realm-require',
        "declare const require: (id: string) => unknown;\nlet caught = '';\ntry { require(['f', 's'].join('')); } catch (e) { caught = String(e); }\nrequire(['o', 's'].join(''));\nexport default { name: 'realm-require', caught };\n",
      ),
    });
    const results = await loadSites(dir, ['realm-throws', 'realm-require']);
    expect(results).toMatchObject([
      {
        ok: false,
        issues: [
          {
            code: 'LOAD_FAILED',
            file: 'environments/realm-throws/environment.ts',
            line: 2,
            message: expect.stringContaining('TypeError: realm 1'),
          },
        ],
      },
      {
        ok: false,
        issues: [
          {
            code: 'LOAD_FORBIDDEN_IMPORT',
            line: 4,
            message: expect.stringContaining('require("os") is not allowed in a definition'),
          },
        ],
      },
    ]);
  }, 60_000);
});
