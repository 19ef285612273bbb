import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The mechanical guard of a pure package (core, rules, render, report, import: values in, values
 * out; ADR 0001): every non-spec source file under `srcDir` imports only relative files and the
 * listed packages, and uses no process or IO globals. Spec files are exempt (tests may read
 * fixtures and spawn tools). One copy, so the packages split out of core in ADR 0012 are held to
 * exactly core's rule.
 */
const FORBIDDEN_GLOBALS = /\b(process\.|require\(|globalThis\.fetch|fetch\(|Deno\.|Bun\.)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

/** The module specifiers a file imports or re-exports, static or dynamic. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}

export function describePurePackage(name: string, srcDir: string, allowedPackages: readonly string[]): void {
  const allowed = new Set(allowedPackages);
  const files = sourceFiles(srcDir);

  describe(`${name} boundaries`, () => {
    it('has source files to check', () => {
      expect(files.length).toBeGreaterThan(3);
    });

    it.each(files.map((f) => [relative(srcDir, f), f]))(
      '%s imports only relative files and pure packages',
      (_, file) => {
        const text = readFileSync(file, 'utf8');
        const bad = importsOf(text).filter((spec) => !spec.startsWith('.') && !allowed.has(spec));
        expect(bad).toEqual([]);
        const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
        expect(code).not.toMatch(FORBIDDEN_GLOBALS);
      },
    );

    it('detects a forbidden import (the check can fail)', () => {
      expect(importsOf(`import { readFileSync } from 'node:fs';`)).toEqual(['node:fs']);
      expect(importsOf(`export * from 'simple-git';`)).toEqual(['simple-git']);
      expect(importsOf(`const cp = await import('node:child_process');`)).toEqual(['node:child_process']);
      expect(FORBIDDEN_GLOBALS.test('process.env.HOME')).toBe(true);
    });
  });
}
