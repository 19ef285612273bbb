// The one public door of @osa-gitops/nx-plugin. Nx reads `createNodesV2` and `createDependencies`
// from here (nx.json `plugins`); generators are reached through generators.json, so this file
// stays cheap to load on every Nx command.
export { createNodesV2, siteProjectName } from './inferred/create-nodes';
export { createDependencies } from './inferred/create-dependencies';
