import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSites, type LoadResult } from './load-sites';
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
  const names = Object.keys(files)
    .map((f) => /^environments\/([^/_][^/]*)\/environment\.ts$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);
  const results = await loadSites(root, [...names, 'missing']);
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
      // this.constructor.constructor is the context's Function, not the worker's.
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
      { site: 'a-constructor', ok: true, value: { sameGlobal: true, process: 'undefined' } },
      { site: 'a-stack', ok: true, value: { probe: 'none' } },
      { site: 'b-victim', ok: true, value: victimValue('b-victim') },
    ]);
  }, 60_000);

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
