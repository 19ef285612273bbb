/**
 * Module specifiers of static imports and re-exports (`from "x"`), side-effect imports, dynamic
 * `import()` and `require()` calls, in single, double or back quotes (a template literal with no
 * substitution is a plain specifier to the bundler). A scan, not a parse: a specifier in a
 * comment or a string adds an edge too, which only makes the graph conservative (a site
 * re-validated for nothing); what it must never do is miss an import the bundler follows.
 */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"`])((?:(?!\1|\$\{)[^\n])+)\1/g;

/** Files whose imports count: the loader's source extensions but JSON (which imports nothing). */
export const DEFINITION_SOURCE = /\.[cm]?[jt]s$/;

/**
 * The folders directly under `environments/` that the relative imports of `file` point into,
 * sorted: `['_shared', 'dc-a']` for `environments/dc-b/environment.ts` importing
 * `../_shared/base` and `../dc-a/racks.js`. Its own folder is included when it imports a sibling
 * file; an import of a file directly under `environments/` or outside it adds nothing (the
 * loader refuses the latter). `file` is workspace-relative and `/`-separated.
 *
 * The one definition of "site X depends on folder Y": the Nx plugin's project edges
 * (create-dependencies.ts) and the GitHub Action's affected sites are both built from it.
 */
export function importedEnvironmentFolders(file: string, text: string): string[] {
  const out = new Set<string>();
  const dir = file.split('/').slice(0, -1);
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[2]!;
    if (!spec.startsWith('./') && !spec.startsWith('../')) continue;
    const target = resolvePosix(dir, spec);
    if (target !== undefined && target[0] === 'environments' && target.length > 2) out.add(target[1]!);
  }
  return [...out].sort();
}

/** `dir` joined with the relative `spec`, `.`/`..` resolved; undefined above the root. */
function resolvePosix(dir: readonly string[], spec: string): string[] | undefined {
  const parts = [...dir];
  for (const seg of spec.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts;
}
