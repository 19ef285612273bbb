import { Git } from '@osa-gitops/git';

/** git's file mode of a symbolic link (`git ls-files -s`). */
const SYMLINK_MODE = '120000';

/**
 * Symbolic links that git tracks under `environments/` (mode 120000 in the index, which is what a
 * CI checkout has): workspace-relative paths, sorted. The readers and writers refuse links they
 * meet on disk, but a link in a folder nobody reads (or below a path a command skips) would still
 * reach `main` and every deploy host's checkout; `validate` and `ci` fail on it instead
 * (compileWorkspace adds a LOAD_FAILED issue per link). Outside a git work tree there is no index
 * to ask, and `[]` is returned: the on-disk checks still apply.
 */
export async function findCommittedSymlinks(root: string): Promise<string[]> {
  let listing: string;
  try {
    listing = await Git.at(root).run(['ls-files', '-s', '-z', '--', 'environments/']);
  } catch (err) {
    if (/not a git repository/i.test(String((err as Error)?.message))) return [];
    throw err;
  }
  const links: string[] = [];
  for (const entry of listing.split('\0')) {
    // `<mode> <object> <stage>\t<path>`
    const m = /^(\d{6}) [0-9a-f]+ \d\t(.+)$/s.exec(entry);
    if (m && m[1] === SYMLINK_MODE) links.push(m[2]!);
  }
  return [...new Set(links)].sort();
}
