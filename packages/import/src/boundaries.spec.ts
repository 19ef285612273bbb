import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Import is pure like core (files in, definition and findings out; the loader reads the config
 * dir). The same mechanical guard as core's boundaries.spec.ts: imports only from relative files,
 * core and pure packages, no process or IO globals. Spec files are exempt.
 */
const ALLOWED_PACKAGES = new Set(['@osa-gitops/core', 'yaml']);
const FORBIDDEN_GLOBALS = /\b(process\.|require\(|globalThis\.fetch|fetch\(|Deno\.|Bun\.)/;

const root = __dirname;
const files = readdirSync(root)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
  .map((f) => join(root, f));

function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}

describe('import boundaries', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(root, f), f]))(
    '%s imports only relative files, core and pure packages',
    (_, file) => {
      const text = readFileSync(file, 'utf8');
      expect(importsOf(text).filter((spec) => !spec.startsWith('.') && !ALLOWED_PACKAGES.has(spec))).toEqual(
        [],
      );
      const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code).not.toMatch(FORBIDDEN_GLOBALS);
    },
  );

  it('detects a forbidden import (the check can fail)', () => {
    expect(importsOf(`import { readFileSync } from 'node:fs';`)).toEqual(['node:fs']);
  });
});
