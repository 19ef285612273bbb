import type { RenderedTree } from '@osa-gitops/core';

/**
 * Drift: how a site's live OSA config dir differs from what osa-gitops deployed there. The
 * deployer gathers the facts (state file, owned files, the committed trees from git, the
 * preflight's shadowing checks); this judge is pure so every case is a plain unit test.
 */

export type DriftKind =
  /** No deploy was ever recorded in this config dir. */
  | 'never-deployed'
  /** The recorded commit is unknown, or not in the repository's history. */
  | 'unknown-commit'
  /** An owned file's content differs from the deployed tree (edited by hand). */
  | 'edited'
  /** An owned file is gone from the config dir. */
  | 'missing'
  /** A file osa-gitops does not own takes precedence over one it does (OSA would read that one). */
  | 'shadowed'
  /** The compared head (main, where the workflow runs) has a newer tree for the site: a deploy is pending. */
  | 'behind'
  /** The site is no longer defined at the compared head, but its files are still deployed here. */
  | 'removed-on-main';

export interface DriftFinding {
  readonly kind: DriftKind;
  /** Path relative to the config dir, where the finding is about one file. */
  readonly file?: string;
  readonly message: string;
}

export interface DriftReport {
  readonly site: string;
  readonly configDir: string;
  readonly deployedCommit: string | null;
  readonly deployedAt: string | null;
  readonly headCommit: string | null;
  /** Sorted: kind order above, then file. */
  readonly findings: readonly DriftFinding[];
  readonly drifting: boolean;
}

export interface ShadowingFinding {
  readonly file: string;
  readonly message: string;
}

export interface JudgeDriftInput {
  readonly site: string;
  readonly configDir: string;
  /** What the state file records (null: never deployed here). */
  readonly deployed: { readonly commit: string | null; readonly deployedAt: string } | null;
  /** The site's committed tree at the deployed commit (null when that commit cannot be read). */
  readonly deployedTree: RenderedTree | null;
  /** The config dir's content at each path of the deployed tree (null: the file is missing). */
  readonly live: ReadonlyMap<string, string | null>;
  /** Unowned files that override owned ones (the deploy preflight's checks). */
  readonly shadowing: readonly ShadowingFinding[];
  /**
   * The commit compared with (main's head where the drift workflow runs), what it is called in
   * messages (`main`, the checkout's branch, the `--head` ref as given, or `HEAD` when detached),
   * and the site's committed tree there (tree null: no such site there).
   */
  readonly head: {
    readonly commit: string;
    readonly label: string;
    readonly tree: RenderedTree | null;
  } | null;
}

/** Every kind, in the order findings are sorted (also what the drift-issues mode accepts). */
export const DRIFT_KINDS: readonly DriftKind[] = [
  'never-deployed',
  'unknown-commit',
  'edited',
  'missing',
  'shadowed',
  'behind',
  'removed-on-main',
];
const ORDER = DRIFT_KINDS;

export function judgeDrift(input: JudgeDriftInput): DriftReport {
  const findings: DriftFinding[] = [];
  const { deployed, deployedTree } = input;
  if (deployed === null) {
    findings.push({
      kind: 'never-deployed',
      message: `no deploy of ${input.site} is recorded in ${input.configDir} (no .osa-gitops/state.json)`,
    });
  } else if (deployed.commit === null || deployedTree === null) {
    findings.push({
      kind: 'unknown-commit',
      message:
        deployed.commit === null
          ? 'the last deploy recorded no commit, so its files cannot be compared'
          : `the deployed commit ${short(deployed.commit)} has no committed tree for ${input.site} in this repository`,
    });
  } else {
    for (const [file, expected] of deployedTree) {
      const live = input.live.get(file);
      if (live === null || live === undefined) {
        findings.push({ kind: 'missing', file, message: `${file} was deployed but is missing` });
      } else if (live !== expected) {
        findings.push({
          kind: 'edited',
          file,
          message: `${file} differs from what commit ${short(deployed.commit)} deployed (edited by hand?)`,
        });
      }
    }
  }
  for (const s of input.shadowing)
    findings.push({ kind: 'shadowed', file: s.file, message: `${s.file} ${s.message}` });

  if (input.head && deployed?.commit && deployedTree) {
    if (input.head.tree === null) {
      findings.push({
        kind: 'removed-on-main',
        message: `${input.site} is no longer defined on ${input.head.label} (${short(input.head.commit)}), but its files are still deployed here`,
      });
    } else if (!sameTree(input.head.tree, deployedTree)) {
      findings.push({
        kind: 'behind',
        message: `${input.head.label} (${short(input.head.commit)}) has changes for ${input.site} that are not deployed (deployed ${short(deployed.commit)})`,
      });
    }
  }

  findings.sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.file ?? '').localeCompare(b.file ?? ''),
  );
  return {
    site: input.site,
    configDir: input.configDir,
    deployedCommit: deployed?.commit ?? null,
    deployedAt: deployed?.deployedAt ?? null,
    headCommit: input.head?.commit ?? null,
    findings,
    drifting: findings.length > 0,
  };
}

function sameTree(a: RenderedTree, b: RenderedTree): boolean {
  if (a.size !== b.size) return false;
  for (const [path, text] of a) if (b.get(path) !== text) return false;
  return true;
}

function short(commit: string): string {
  return /^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit;
}
