// The door of @osa-gitops/report: describing a change. The plan and diff of committed trees
// (stages, notes, network changes, text/markdown/JSON reports), each host's chain (explain) and
// the drift of a live config dir from what was deployed. Pure, like core (src/boundaries.spec.ts).
export * from './diff';
export * from './explain';
export * from './drift';
