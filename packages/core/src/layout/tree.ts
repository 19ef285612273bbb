/**
 * A rendered override tree: POSIX path relative to `environments/<site>/openstack_deploy/` →
 * file text. Adapters write it (Nx Tree, fs, deployer); core only builds and compares it.
 * Iteration order is sorted by path so every consumer sees the same bytes in the same order.
 */
export type RenderedTree = ReadonlyMap<string, string>;

/** Build a RenderedTree with sorted keys (Map preserves insertion order). */
export function toRenderedTree(files: Iterable<readonly [string, string]>): RenderedTree {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
