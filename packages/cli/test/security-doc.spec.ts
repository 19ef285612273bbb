import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/SECURITY.md names, for every claim, the code and the test that prove it (issue 26, item 6).
 * This keeps the names true: every file it cites exists in the repository, and every hostile
 * corpus case it cites (`jinja-*` patterns included) is a folder of the corpus. A renamed or
 * deleted test then fails here instead of leaving the page pointing at nothing.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'SECURITY.md'), 'utf8');
const CORPUS = readdirSync(path.join(__dirname, 'hostile'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
  .map((e) => e.name);
const FILES = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f !== '');

const FILE_REF = /^[\w.@/-]+\.(?:ts|cjs|mjs|js|sh|md|yml|json|py)$/;

/** Files of a config dir, an artifact or OpenStack-Ansible that the page names: not ours. */
const NOT_IN_REPOSITORY = new Set([
  'conf.d/x.yml',
  'inventory/group_vars/haproxy/keepalived.yml',
  'meta.json',
  'openstack_inventory.json',
  'state.json',
  'user_secrets.yml',
  'user_zz.yml',
]);

/** Every backticked file name of the page, as written. */
function fileRefs(): string[] {
  const refs = new Set<string>();
  for (const m of DOC.matchAll(/`([^`\n]+)`/g)) {
    if (FILE_REF.test(m[1]!) && !NOT_IN_REPOSITORY.has(m[1]!)) refs.add(m[1]!);
  }
  return [...refs].sort();
}

/** Every backticked name in a "corpus …" list of the page. */
function corpusRefs(): string[] {
  const text = DOC.replace(/\s+/g, ' ');
  const refs = new Set<string>();
  for (const m of text.matchAll(/[Cc]orpus:? ((?:`[^`]+`(?:, | and |,? and )?)+)/g)) {
    for (const t of m[1]!.matchAll(/`([^`]+)`/g)) {
      if (/^[a-z0-9*-]+$/.test(t[1]!)) refs.add(t[1]!);
    }
  }
  return [...refs].sort();
}

/** A cited path: as written from the root, under packages/, or (a bare name) anywhere. */
function exists(ref: string): boolean {
  if (!ref.includes('/')) return FILES.some((f) => path.posix.basename(f) === ref);
  const clean = ref.replace(/^\.\//, '');
  return FILES.some((f) => f === clean || f === `packages/${clean}` || f.endsWith(`/${clean}`));
}

describe('docs/SECURITY.md cites what exists', () => {
  it('cites files, and finds them all', () => {
    const refs = fileRefs();
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => !exists(r))).toEqual([]);
  });

  it('cites corpus cases, and each is a case of packages/cli/test/hostile (patterns match one at least)', () => {
    const refs = corpusRefs();
    expect(refs.length).toBeGreaterThan(40);
    const missing = refs.filter((r) => {
      const re = new RegExp(`^${r.replace(/\*/g, '.*')}$`);
      return !CORPUS.some((c) => re.test(c));
    });
    expect(missing).toEqual([]);
  });
});
