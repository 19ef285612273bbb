import type { HostChain } from '../explain/host-chain';
import type { RenderedTree } from '@osa-gitops/core';
import type { DeployStage, HostNetworkingMode } from './stages';

/**
 * The plan/diff model (style point 13, A7): plain data that every renderer (Markdown for PRs,
 * JSON for machines, text for terminals) reads. Nothing here knows how it will be shown.
 */

/** One file of a rendered tree that differs between two trees. */
export interface FileDiff {
  /** POSIX path relative to the site's `openstack_deploy/`. */
  readonly path: string;
  readonly kind: 'added' | 'changed' | 'removed';
  /** Unified diff (`--- a/…` / `+++ b/…` headers, 3 lines of context). */
  readonly patch: string;
  readonly additions: number;
  readonly deletions: number;
}

/** Files that differ between two rendered trees, sorted by path. */
export interface TreeDiff {
  readonly files: readonly FileDiff[];
  /** Number of differing files (0 means the trees are byte-for-byte equal). */
  readonly differenceCount: number;
}

/**
 * What a change can do to a running site, least to most disruptive (see `disruption.ts` for the
 * mapping and its reasons).
 */
export type Disruption = 'none' | 'container-recreated' | 'default-route-change' | 'vip-failover';

export type NetworkChangeKind =
  | 'site-added'
  | 'site-removed'
  | 'external-vip-moved'
  | 'internal-vip-moved'
  | 'public-gateway-changed'
  | 'vlan-id-changed'
  | 'haproxy-host-added'
  | 'haproxy-host-removed'
  | 'bind-mode-changed'
  | 'pool-resized'
  | 'router-id-changed'
  | 'networkd-files'
  | 'file-changed';

/** A change a network operator cares about, read from the rendered YAML of both sides. */
export interface NetworkChange {
  readonly site: string;
  readonly kind: NetworkChangeKind;
  readonly disruption: Disruption;
  /** One sentence for people, e.g. `external VIP 203.0.113.140 → 203.0.113.141`. */
  readonly summary: string;
  /** Why this disruption class (shown next to the change in PR comments). */
  readonly why: string;
  /** The subject when there is one: a host, a network name, `external`/`internal`, a file path. */
  readonly subject?: string;
  readonly before?: string;
  readonly after?: string;
  /** Rendered files this change was read from. */
  readonly files: readonly string[];
}

/** Deploy settings of a site, as far as the caller knows them (from its definition). */
export interface SiteDeploySettings {
  readonly runnerLabel?: string;
  readonly configDir?: string;
  /** `deploy.hostNetworking`: `manual` stops the deploy before that stage. @default 'auto' */
  readonly hostNetworking?: HostNetworkingMode;
}

/** Input of `buildPlan`: one site whose rendered tree changed. */
export interface ChangedSite {
  readonly site: string;
  readonly changes: readonly NetworkChange[];
  readonly deploy?: SiteDeploySettings;
  /** Both sides of its rendered tree, for the stage planner (absent: a new or removed site). */
  readonly before?: RenderedTree;
  readonly after?: RenderedTree;
}

/**
 * An OSA playbook (or script) the change also needs but no deploy stage runs: destroying the
 * container of a host that left haproxy_hosts is final, so a person does it after the deploy.
 */
export interface ManualStep {
  readonly argv: readonly string[];
  readonly command: string;
  readonly why: string;
}

/** One site that deploys after merge. */
export interface PlanStep {
  readonly site: string;
  /** The most disruptive class among its changes. */
  readonly disruption: Disruption;
  readonly changes: readonly NetworkChange[];
  /** The container stage's argv (see DEPLOY_ARGV); every deploy runs it. */
  readonly argv: readonly string[];
  /** The same argv as one line, for people. */
  readonly command: string;
  readonly runnerLabel?: string;
  readonly configDir?: string;
  /** The stages the deploy runs, in order, and who approves each (stages.ts). */
  readonly stages: readonly DeployStage[];
  /** What no stage runs, for a person after the deploy, in order (usually empty). */
  readonly manual: readonly ManualStep[];
}

export interface DeployPlan {
  readonly steps: readonly PlanStep[];
  /** Changed sites that do not deploy, with the reason (e.g. the definition was removed). */
  readonly skipped: readonly { readonly site: string; readonly reason: string }[];
}

/** Everything the public path diagram shows, read from the after tree. */
export interface PublicPath {
  readonly bond?: string;
  readonly vlanInterface?: string;
  readonly vlanId?: number;
  readonly bridge?: string;
  readonly containerInterface?: string;
  readonly cidr?: string;
  readonly gateway?: string;
  readonly externalVip?: string;
  readonly internalVip?: string;
  readonly internalInterface?: string;
  readonly haproxyHosts: readonly string[];
}

export type SiteStatus = 'added' | 'removed' | 'changed';

/** One changed site in a report. Unchanged sites are not listed. */
export interface SiteReport {
  readonly site: string;
  readonly status: SiteStatus;
  readonly disruption: Disruption;
  readonly changes: readonly NetworkChange[];
  readonly diff: TreeDiff;
  /** From the after tree; absent for removed sites. */
  readonly publicPath?: PublicPath;
  /** The whole chain of each host whose host_vars changed (after tree); absent when none. */
  readonly hostChains?: readonly HostChain[];
}

/**
 * A site whose committed tree does not follow its definition at `head`. A report compares
 * committed trees (what deploys), so a definition edited without `render` shows there as "nothing
 * changed"; this is how the report says otherwise. CI fails on every one of these.
 * - `render`: a fresh render of the definition differs from the committed tree in `files`;
 * - `invalid`: the definition does not validate, so nothing renders from it (run `validate`);
 * - `definition-changed`: its files changed between base and head while its committed tree did
 *   not; not rendered (head is a commit, not the working tree), so `files` is empty.
 */
export interface StaleSite {
  readonly site: string;
  readonly evidence: 'render' | 'invalid' | 'definition-changed';
  /** Stale paths relative to the site's `openstack_deploy/` (evidence `render` only). */
  readonly files: readonly string[];
}

/** A whole report: what changed between two states of the repository, and what deploys. */
export interface Report {
  /** What "before" is, for people: a git ref, or a note such as `nothing (first deploy)`. */
  readonly base: string;
  /** What "after" is: a git ref or `working tree`. */
  readonly head: string;
  readonly sites: readonly SiteReport[];
  readonly plan: DeployPlan;
  /** Sites whose committed tree is stale at head, sorted (empty or absent: none found). */
  readonly stale?: readonly StaleSite[];
}
