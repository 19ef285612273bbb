import { DEPLOY_ARGV, DEPLOY_COMMAND } from './plan';
import type { StageApproval, StageName } from './stages';
import type { Disruption, NetworkChangeKind, Report, SiteStatus } from './types';

/**
 * The machine shape of a report (`osa-gitops diff --json`, Action outputs). Stable: fields are
 * only ever added; a breaking change bumps `schemaVersion`. Documented in docs/cli.md.
 */
export interface ReportJson {
  readonly schemaVersion: 1;
  readonly base: string;
  readonly head: string;
  readonly sites: readonly {
    readonly site: string;
    readonly status: SiteStatus;
    readonly disruption: Disruption;
    readonly changes: readonly {
      readonly kind: NetworkChangeKind;
      readonly disruption: Disruption;
      readonly summary: string;
      readonly why: string;
      readonly subject: string | null;
      readonly before: string | null;
      readonly after: string | null;
      readonly files: readonly string[];
    }[];
    readonly files: readonly {
      readonly path: string;
      readonly kind: 'added' | 'changed' | 'removed';
      readonly additions: number;
      readonly deletions: number;
      readonly patch: string;
    }[];
  }[];
  readonly plan: {
    readonly command: string;
    readonly argv: readonly string[];
    readonly deploy: readonly {
      readonly site: string;
      readonly disruption: Disruption;
      readonly runnerLabel: string | null;
      readonly configDir: string | null;
      readonly reasons: readonly NetworkChangeKind[];
      /** The stages the deploy runs, in order, and who approves each. */
      readonly stages: readonly {
        readonly name: StageName;
        readonly argv: readonly string[];
        readonly command: string;
        readonly approval: StageApproval;
        readonly why: string;
        readonly hosts: readonly string[] | null;
      }[];
      /** What no stage runs (a removed host's container), for a person after the deploy. */
      readonly manual: readonly {
        readonly argv: readonly string[];
        readonly command: string;
        readonly why: string;
        /** Always false: stages now run host networking before the containers (kept for v1). */
        readonly thenDeployAgain: boolean;
      }[];
    }[];
    readonly skipped: readonly { readonly site: string; readonly reason: string }[];
  };
  /** Sites whose committed tree does not follow their definition at head (see core's StaleSite). */
  readonly stale: readonly {
    readonly site: string;
    readonly evidence: 'render' | 'invalid' | 'definition-changed';
    readonly files: readonly string[];
  }[];
}

/** Optional fields become `null` (never missing) so consumers can rely on every key existing. */
export function reportToJson(report: Report): ReportJson {
  return {
    schemaVersion: 1,
    base: report.base,
    head: report.head,
    sites: report.sites.map((s) => ({
      site: s.site,
      status: s.status,
      disruption: s.disruption,
      changes: s.changes.map((c) => ({
        kind: c.kind,
        disruption: c.disruption,
        summary: c.summary,
        why: c.why,
        subject: c.subject ?? null,
        before: c.before ?? null,
        after: c.after ?? null,
        files: c.files,
      })),
      files: s.diff.files.map((f) => ({
        path: f.path,
        kind: f.kind,
        additions: f.additions,
        deletions: f.deletions,
        patch: f.patch,
      })),
    })),
    plan: {
      command: DEPLOY_COMMAND,
      argv: DEPLOY_ARGV,
      deploy: report.plan.steps.map((s) => ({
        site: s.site,
        disruption: s.disruption,
        runnerLabel: s.runnerLabel ?? null,
        configDir: s.configDir ?? null,
        reasons: [...new Set(s.changes.map((c) => c.kind))],
        stages: s.stages.map((x) => ({
          name: x.name,
          argv: x.argv,
          command: x.command,
          approval: x.approval,
          why: x.why,
          hosts: x.hosts ?? null,
          conditional: x.conditional ?? false,
        })),
        manual: s.manual.map((m) => ({
          argv: m.argv,
          command: m.command,
          why: m.why,
          thenDeployAgain: false,
        })),
      })),
      skipped: report.plan.skipped,
    },
    stale: (report.stale ?? []).map((s) => ({ site: s.site, evidence: s.evidence, files: s.files })),
  };
}
