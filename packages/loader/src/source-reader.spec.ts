import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSite } from './bundle/bundle-site';
import { locateCore } from './bundle/core-location';
import { createFsSourceReader, type SourceReader } from './source-reader';
import { createTestWorkspace } from './test-workspace';

/**
 * The fs reader reads only below `<root>/environments/` and never through a symbolic link: a link
 * under environments/ reads as missing wherever it points, for a linked file and a linked
 * directory alike (SECURITY.md, "Symbolic links under environments/").
 */
function workspaceWithLinks(): string {
  const root = createTestWorkspace({
    'environments/_shared/ok.ts': "export const ok = 'shared';\n",
    'packages/secret/token.ts': "export const token = 'do-not-bundle';\n",
    'packages/secret/data.json': '{ "token": "do-not-bundle" }\n',
    'outside.ts': "export const token = 'do-not-bundle';\n",
  });
  const env = path.join(root, 'environments');
  fs.mkdirSync(path.join(env, 'lab'), { recursive: true });
  // Links that leave environments/: a file, a file at the root, a whole directory.
  fs.symlinkSync('../../packages/secret/token.ts', path.join(env, 'lab', 'token.ts'));
  fs.symlinkSync('../../outside.ts', path.join(env, 'lab', 'outside.ts'));
  fs.symlinkSync('../packages/secret', path.join(env, '_linked'));
  // A link that stays inside environments/ is refused too.
  fs.symlinkSync('../_shared/ok.ts', path.join(env, 'lab', 'ok.ts'));
  return root;
}

describe('createFsSourceReader', () => {
  it('reads files below environments/, but not through a link that stays there', () => {
    const reader = createFsSourceReader(workspaceWithLinks());
    expect(reader.readFile('environments/_shared/ok.ts')).toContain("'shared'");
    expect(reader.readFile('environments/lab/ok.ts')).toBeUndefined();
    expect(reader.isFile('environments/lab/ok.ts')).toBe(false);
    expect(reader.children('environments').sort()).toEqual(['_linked', '_shared', 'lab']);
  });

  it('treats a symlinked file that leaves environments/ as missing', () => {
    const reader = createFsSourceReader(workspaceWithLinks());
    for (const rel of ['environments/lab/token.ts', 'environments/lab/outside.ts']) {
      expect(reader.isFile(rel), rel).toBe(false);
      expect(reader.readFile(rel), rel).toBeUndefined();
    }
  });

  it('treats a symlinked directory that leaves environments/ as missing, and everything below it', () => {
    const reader = createFsSourceReader(workspaceWithLinks());
    expect(reader.children('environments/_linked')).toEqual([]);
    expect(reader.isFile('environments/_linked/token.ts')).toBe(false);
    expect(reader.readFile('environments/_linked/data.json')).toBeUndefined();
  });

  it('reads nothing outside environments/, even inside the root', () => {
    const reader = createFsSourceReader(workspaceWithLinks());
    expect(reader.readFile('outside.ts')).toBeUndefined();
    expect(reader.readFile('packages/secret/token.ts')).toBeUndefined();
    expect(reader.children('packages')).toEqual([]);
  });

  it('refuses an environments/ that is itself a link, even into the checkout', () => {
    const root = createTestWorkspace({ 'elsewhere/lab/environment.ts': 'export default {};\n' });
    fs.symlinkSync('elsewhere', path.join(root, 'environments'));
    const reader = createFsSourceReader(root);
    expect(reader.children('environments')).toEqual([]);
    expect(reader.isFile('environments/lab/environment.ts')).toBe(false);
  });
});

/** A reader that follows links blindly, as the Nx Tree does when it reads from disk. */
function naiveReader(root: string): SourceReader {
  const abs = (rel: string): string => path.join(root, rel);
  const isFile = (rel: string): boolean => fs.existsSync(abs(rel)) && fs.statSync(abs(rel)).isFile();
  return {
    readFile: (rel) => (isFile(rel) ? fs.readFileSync(abs(rel), 'utf8') : undefined),
    isFile,
    children: (rel) => (fs.existsSync(abs(rel)) ? fs.readdirSync(abs(rel)) : []),
  };
}

describe('bundleSite with symlinks under environments/', () => {
  const bundleLab = async (root: string, body: string, reader: SourceReader = createFsSourceReader(root)) => {
    fs.writeFileSync(path.join(root, 'environments/lab/environment.ts'), body);
    return bundleSite(root, 'lab', reader, locateCore());
  };
  const LINKS = [
    ['a linked file', './token', 'environments/lab/token.ts'],
    ['a linked directory', '../_linked/token', 'environments/_linked'],
    ['a linked JSON file in a linked directory', '../_linked/data.json', 'environments/_linked'],
  ] as const;

  it.each(LINKS)('refuses %s (LOAD_FORBIDDEN_IMPORT), whatever the reader', async (_what, spec, link) => {
    for (const reader of [undefined, 'naive'] as const) {
      const root = workspaceWithLinks();
      const result = await bundleLab(
        root,
        `import * as m from '${spec}';\nexport default { name: 'lab', m };\n`,
        reader === 'naive' ? naiveReader(root) : undefined,
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toEqual([
        expect.objectContaining({
          code: 'LOAD_FORBIDDEN_IMPORT',
          file: 'environments/lab/environment.ts',
          line: 1,
          message: expect.stringContaining(
            `"${spec}" goes through the symbolic link ${link}; links under environments/ are not followed`,
          ) as string,
        }),
      ]);
    }
  });

  it('refuses a definition file that is itself a link out of environments/', async () => {
    const root = workspaceWithLinks();
    fs.symlinkSync('../../outside.ts', path.join(root, 'environments/lab/environment.ts'));
    const result = await bundleSite(root, 'lab', naiveReader(root), locateCore());
    expect(result).toMatchObject({
      ok: false,
      issues: [
        { code: 'LOAD_FORBIDDEN_IMPORT', message: expect.stringContaining('symbolic link') as string },
      ],
    });
  });

  it('refuses a link that stays inside environments/ too, whatever the reader', async () => {
    for (const reader of [undefined, 'naive'] as const) {
      const root = workspaceWithLinks();
      const result = await bundleLab(
        root,
        "import { ok } from './ok';\nexport default { name: 'lab', ok };\n",
        reader === 'naive' ? naiveReader(root) : undefined,
      );
      expect(result).toMatchObject({
        ok: false,
        issues: [
          {
            code: 'LOAD_FORBIDDEN_IMPORT',
            message: expect.stringContaining('symbolic link environments/lab/ok.ts') as string,
          },
        ],
      });
    }
  });

  it('bundles the same import once the link is replaced by the real file', async () => {
    const root = workspaceWithLinks();
    fs.rmSync(path.join(root, 'environments/lab/ok.ts'));
    fs.copyFileSync(path.join(root, 'environments/_shared/ok.ts'), path.join(root, 'environments/lab/ok.ts'));
    const result = await bundleLab(root, "import { ok } from './ok';\nexport default { name: 'lab', ok };\n");
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.bundle.code).toContain('"shared"');
  });
});
