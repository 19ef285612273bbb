// The one public door of @osa-gitops/core: the vocabulary every other package speaks (the site
// model, IPv4, the rendered layout, issues, the shared test sites). Pure: no fs, process, git or
// network (enforced by src/boundaries.spec.ts). What is rejected lives in @osa-gitops/rules, what
// is emitted in @osa-gitops/render, how a change is described in @osa-gitops/report (ADR 0012).
export * from './model/schema';
export * from './model/bounds';
export * from './model/placeholder';
export * from './model/define';
export * from './model/derive';
export * from './model/names';
export * from './model/osa-groups';
export * from './model/osa-env-d';
export * from './model/own';
export * from './model/host-bridges';
export * from './model/host-netdevs';
export * from './model/inventory-members';
export * from './issues';
export * from './layout/tree';
export * from './layout/rendered-layout';
export * from './markdown-text';
export * from './net/intervals';
export * from './testing';
export * from './test-fixtures';
export * from './sites/affected-sites';
export * from './sites/environment-imports';
export * as ipv4 from './net/ipv4';
export * from './plain-data';
