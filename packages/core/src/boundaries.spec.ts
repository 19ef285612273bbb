import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `core` is pure: values in, values out. This test is the mechanical guard (style guide point 2):
 * any import outside this allow-list, or any use of the process/IO globals, fails the build.
 * Spec files are exempt (tests may read fixtures and spawn OSA's inventory generator).
 */
const ALLOWED_PACKAGES = new Set(['zod', 'yaml', 'ipaddr.js', 'diff']);
const FORBIDDEN_GLOBALS = /\b(process\.|require\(|globalThis\.fetch|fetch\(|Deno\.|Bun\.)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

const root = join(__dirname);
const files = sourceFiles(root);

function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}

describe('core boundaries', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(root, f), f]))(
    '%s imports only relative files and pure packages',
    (_, file) => {
      const text = readFileSync(file, 'utf8');
      const bad = importsOf(text).filter((spec) => !spec.startsWith('.') && !ALLOWED_PACKAGES.has(spec));
      expect(bad).toEqual([]);
      const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code).not.toMatch(FORBIDDEN_GLOBALS);
    },
  );

  it('detects a forbidden import (the check can fail)', () => {
    expect(importsOf(`import { readFileSync } from 'node:fs';`)).toEqual(['node:fs']);
    expect(importsOf(`export * from 'simple-git';`)).toEqual(['simple-git']);
    expect(importsOf(`const cp = await import('node:child_process');`)).toEqual(['node:child_process']);
  });
});
