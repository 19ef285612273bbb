import type { Tree } from '@nx/devkit';
import type { SourceReader } from '@osa-gitops/loader';

/**
 * Definitions read through the Nx Tree: a generator sees files written earlier in the same run
 * (a freshly scaffolded site), and specs run against `createTreeWithEmptyWorkspace()`.
 */
export function createTreeSourceReader(tree: Tree): SourceReader {
  const isFile = (rel: string): boolean => tree.exists(rel) && tree.isFile(rel);
  return {
    readFile: (rel) => (isFile(rel) ? (tree.read(rel, 'utf-8') ?? undefined) : undefined),
    isFile,
    children: (rel) => (tree.exists(rel) && !tree.isFile(rel) ? tree.children(rel) : []),
  };
}
