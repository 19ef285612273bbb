// The one public door of @osa-gitops/core. Pure: no fs, process, git or network (enforced by
// src/boundaries.spec.ts).
export * from './model/schema';
export * from './model/define';
export * from './model/derive';
export * from './model/names';
export * from './model/osa-groups';
export * from './issues';
export * from './render/tree';
export * from './layout/rendered-layout';
export * from './validate';
export * from './render';
export * from './diff';
export * from './testing';
export * from './verify';
export * from './allocation';
export * from './drift';
export * from './explain';
export * from './sites/affected-sites';
export * from './sites/environment-imports';
// What @osa-gitops/import (adoption of a live config) builds on.
export * as ipv4 from './net/ipv4';
export { hostBridgeNeeds } from './model/host-bridges';
export { defaultNetworkdStem, hostNetdevs } from './model/host-netdevs';
/** RFC 1123 host names: import reads an external VIP name back with the rule validation uses. */
export { isDnsName } from './validate/vips';
