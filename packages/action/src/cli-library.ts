/**
 * The CLI library (`@osa-gitops/cli`: load, validate, render, write and diff sites), imported on
 * first use. Lazy on purpose: esbuild then initialises it (and the `esbuild` package the loader
 * needs at runtime) only in modes that compile definitions, so the `comment` mode runs from the
 * bundle alone, in a job that installs nothing and never checks out PR code.
 */
export type CliLibrary = typeof import('@osa-gitops/cli');

export function loadCliLibrary(): Promise<CliLibrary> {
  return import('@osa-gitops/cli');
}
