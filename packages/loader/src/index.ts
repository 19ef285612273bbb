// The one public door of @osa-gitops/loader: find site definitions and load them safely.
export { discoverSites } from './discover-sites';
export { loadSites, type LoadResult, type LoadSitesOptions } from './load-sites';
export { createFsSourceReader, type SourceReader } from './source-reader';
export type { LoadIssue } from './load-issue';
