import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands alone: every citation names a file in it. OSA facts the code relies on
 * live in docs/osa-facts.md (with upstream paths and commits); research notes outside the
 * repository are never cited. This test reads every tracked file (git ls-files) and fails on a
 * citation of those notes, on an `osa-facts.md#anchor` that the page does not define, and on a
 * `*.md` that a document or a code comment names but the repository does not have.
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

/**
 * Where citations are: the whole of a Markdown document, and the comments of code and config
 * (`//` and block comments; `#` in YAML, shell, Python and the bare scripts). String literals are
 * not citations: they name files the code writes or tests use (`report.md`, a fixture's README.md).
 */
function citingLines(file: string, text: string): { line: number; text: string }[] {
  const lines = text.split('\n');
  if (/\.md$/.test(file)) return lines.map((t, i) => ({ line: i + 1, text: t }));
  const out: { line: number; text: string }[] = [];
  if (/\.(m|c)?(t|j)s$|\.ts__tmpl__$/.test(file)) {
    let inBlock = false;
    lines.forEach((t, i) => {
      let rest = t;
      let comment = '';
      while (rest !== '') {
        if (inBlock) {
          const end = rest.indexOf('*/');
          comment += ` ${end < 0 ? rest : rest.slice(0, end)}`;
          if (end < 0) rest = '';
          else {
            inBlock = false;
            rest = rest.slice(end + 2);
          }
          continue;
        }
        const m = /\/\*|(^|[^:'"`\\])\/\//.exec(rest);
        if (m === null) break;
        if (m[0] === '/*') {
          inBlock = true;
          rest = rest.slice(m.index + 2);
        } else {
          comment += ` ${rest.slice(m.index + m[0].length)}`;
          rest = '';
        }
      }
      if (comment !== '') out.push({ line: i + 1, text: comment });
    });
    return out;
  }
  if (/\.(ya?ml|sh|py)$|(^|\/)(run|openstack-ansible|stub-openstack-ansible)$|^\.[a-z]+$/.test(file)) {
    lines.forEach((t, i) => {
      const m = /(^|\s)#(.*)$/.exec(t);
      if (m) out.push({ line: i + 1, text: m[2]! });
    });
  }
  return out;
}

/**
 * File names a document may mention that are not documents of this repository: what the Action's
 * validate mode writes (`report.md`, packages/action/src/report/artifact.ts).
 */
const NOT_CITATIONS = new Set(['report.md']);

/** Every name a tracked file answers to: its path and each shorter tail of it (`adr/x.md`, `x.md`). */
const tails = new WeakMap<ReadonlySet<string>, Set<string>>();
function tailsOf(tracked: ReadonlySet<string>): Set<string> {
  let set = tails.get(tracked);
  if (set === undefined) {
    set = new Set();
    for (const t of tracked) {
      const parts = t.split('/');
      for (let i = 0; i < parts.length; i++) set.add(parts.slice(i).join('/'));
    }
    tails.set(tracked, set);
  }
  return set;
}

/** `*.md` names in a line of citing text that no tracked file answers to. */
function missingMarkdown(file: string, text: string, tracked: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const m of text.matchAll(/(?<![\w./:@-])((?:\.{1,2}\/)*(?:[\w-]+\/)*[\w.-]*[\w-]\.md)(?![\w-])/g)) {
    const name = m[1]!;
    if (/https?:\/\/\S*$/.test(text.slice(0, m.index))) continue; // a link to another site
    if (NOT_CITATIONS.has(name)) continue;
    const relative = posix.normalize(posix.join(posix.dirname(file), name));
    const found = tracked.has(relative) || tailsOf(tracked).has(name.replace(/^(\.\.?\/)+/, ''));
    if (!found) missing.push(name);
  }
  return missing;
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

  it('every *.md a document or a code comment names is in the repository', () => {
    const tracked = new Set(files);
    const missing: string[] = [];
    let named = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const { line, text: cited } of citingLines(file, text)) {
        if (cited.includes('.md')) named++;
        for (const name of missingMarkdown(file, cited, tracked))
          missing.push(`${file}:${line} names ${name}`);
      }
    }
    expect(named).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('fails on a planted citation (the check can fail)', () => {
    const tracked = new Set(files);
    const comment = citingLines('x.ts', "const a = 'report.md'; // the tree (design.md, docs/cli.md)");
    expect(comment.flatMap((c) => missingMarkdown('x.ts', c.text, tracked))).toEqual(['design.md']);
    const block = citingLines(
      'x.ts',
      '/**\n * See notes/plan.md and\n * [x](docs/nope.md)\n */\nlet b = "a.md";',
    );
    expect(block.flatMap((c) => missingMarkdown('x.ts', c.text, tracked))).toEqual([
      'notes/plan.md',
      'docs/nope.md',
    ]);
    expect(missingMarkdown('docs/x.md', 'see [a](adr/0005-declared-host-networking.md)', tracked)).toEqual(
      [],
    );
    expect(missingMarkdown('README.md', 'https://example.com/missing.md and ADR.md', tracked)).toEqual([
      'ADR.md',
    ]);
    expect(citingLines('w.yml', 'run: echo x > $SITE.md # writes missing.md')).toEqual([
      { line: 1, text: ' writes missing.md' },
    ]);

    const planted = 'see osa-' + 'reference \u00a72.3';
    expect(FORBIDDEN.some((f) => f.re.test(planted))).toBe(true);
    expect(anchors.has('no-such-anchor')).toBe(false);
  });
});
