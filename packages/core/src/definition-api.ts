/**
 * What `import … from '@osa-gitops/core'` means inside an environment definition when the loader
 * bundles it: the typed helpers and the pure name/group data, without the validation, render and
 * diff machinery (and zod) that definitions never call. The loader resolves core to this file, so
 * esbuild no longer parses all of core once per site (bench: the loader's per-site cost).
 * Type-only imports of anything in core still work; a value import missing here fails to load
 * with file:line, and belongs here if definitions genuinely need it.
 */
export { defineEnvironment, definePartial } from './model/define';
export { placeholder } from './model/placeholder';
export type * from './model/schema';
export * from './model/names';
export * from './model/osa-groups';
export * from './model/derive';
