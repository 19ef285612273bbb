import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands alone: every citation names a file in it. OSA facts the code relies on
 * live in docs/osa-facts.md (with upstream paths and commits); research notes outside the
 * repository are never cited. This test reads every tracked file (git ls-files) and fails on a
 * citation of those notes, and on an `osa-facts.md#anchor` that the page does not define.
 */
const ROOT = join(__dirname, '..', '..', '..');
const SELF = relative(ROOT, __filename).split('\\').join('/');

// Built from parts so this file does not match itself.
const FORBIDDEN: { what: string; re: RegExp }[] = [
  { what: 'the research notes (osa-' + 'reference)', re: new RegExp('osa-' + 'reference', 'i') },
  { what: 'a path outside the repository (../' + 'shared)', re: new RegExp('\\.\\./' + 'shared') },
  { what: 'a path outside the repository (/work/' + 'shared)', re: new RegExp('/work/' + 'shared') },
  { what: 'a path outside the repository (/work/' + 'osa-src)', re: new RegExp('/work/' + 'osa-src') },
  { what: 'a numbered section of a document not in the repository', re: new RegExp('\u00a7 ?\\d') },
];

/**
 * The one exception: CI lays the pinned upstream sources beside the clone, and `.ci/run` and the
 * tests may point at them there (`../shared/upstream/…`, test data, never part of the product).
 */
const UPSTREAM = new RegExp('\\.\\./' + 'shared/upstream(/|\\b)');
function mayUseUpstream(file: string): boolean {
  return file === '.ci/run' || /\.spec\.ts$/.test(file) || /(^|\/)test\//.test(file);
}
function cites(file: string, line: string, re: RegExp): boolean {
  if (!re.test(line)) return false;
  if (!mayUseUpstream(file)) return true;
  return re.test(line.replace(new RegExp(UPSTREAM.source, 'g'), ''));
}

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\0')
    .filter((f) => f !== '' && f !== SELF)
    .filter((f) => !/\.(png|jpe?g|gif|ico|woff2?|tar|gz)$/i.test(f));
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]!));
}

const files = trackedTextFiles();
const facts = readFileSync(join(ROOT, 'docs', 'osa-facts.md'), 'utf8');
const anchors = anchorsOf(facts);

describe('citations point at files in the repository', () => {
  it('sees the tracked files and the anchors of docs/osa-facts.md', () => {
    expect(files).toContain('docs/osa-facts.md');
    expect(files.length).toBeGreaterThan(100);
    expect(anchors.has('used-ips')).toBe(true);
  });

  it('lets .ci/run and tests, and nothing else, point at the pinned upstream sources', () => {
    const shared = FORBIDDEN[1]!.re;
    const line = 'source ../' + 'shared/upstream/env.sh';
    expect(cites('.ci/run', line, shared)).toBe(false);
    expect(cites('packages/render/test/x.int.spec.ts', line, shared)).toBe(false);
    expect(cites('docs/deploy.md', line, shared)).toBe(true);
    expect(cites('.ci/run', 'cat ../' + 'shared/design.md', shared)).toBe(true);
  });

  it('no tracked file cites research notes or paths outside the repository', () => {
    const hits: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      text.split('\n').forEach((line, i) => {
        for (const f of FORBIDDEN) if (cites(file, line, f.re)) hits.push(`${file}:${i + 1} cites ${f.what}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('every osa-facts.md#anchor (and each #anchor listed after it) exists on the page', () => {
    const missing: string[] = [];
    let cited = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      // `docs/osa-facts.md#a, #b` in code; `[a](osa-facts.md#a)` in Markdown.
      for (const m of text.matchAll(/osa-facts\.md#([a-z0-9-]+)((?:, #[a-z0-9-]+)*)/g)) {
        const names = [m[1]!, ...[...m[2]!.matchAll(/#([a-z0-9-]+)/g)].map((n) => n[1]!)];
        for (const name of names) {
          cited++;
          if (!anchors.has(name)) missing.push(`${file}: #${name}`);
        }
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('fails on a planted citation (the check can fail)', () => {
    const planted = 'see osa-' + 'reference \u00a72.3';
    expect(FORBIDDEN.some((f) => f.re.test(planted))).toBe(true);
    expect(anchors.has('no-such-anchor')).toBe(false);
  });
});
