import { formatReportText, reportToJson, type Report } from '@osa-gitops/report';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { styleFor } from '../terminal/style';
import { reportExit, reportFor } from './diff';

export const PLAN_HELP = `Usage: osa-gitops plan --base <ref> [--head <ref>] [--json]

Which sites deploy after merge, why (their network changes and disruption class), where (runner
label and config dir, from the definitions at --head) and the stages each deploy runs, in OSA's
order, with their exact commands and why each runs (docs/deploy.md, "Stages").
A site whose definition was removed is listed as not deployed.
A site whose definition changed without a render is listed first as STALE (see "diff --help").

Options:
  --base <ref>  what to compare against (e.g. origin/main)       (required)
  --head <ref>  the newer state                      (default: the working tree)
  --json        { schemaVersion: 1, base, head, plan, stale } (docs/cli.md, "plan --json")
  -h, --help    show this help

Exit codes: 0 plan printed, 1 a stale site (plan printed) or git failed, 2 usage error or\nunknown ref.
`;

export async function runPlan(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('plan', args, { base: { type: 'string' }, head: { type: 'string' } });
  if (values.help) {
    io.stdout(PLAN_HELP);
    return EXIT.ok;
  }
  const report = await reportFor(io, 'plan', values.base, values.head);
  if (values.json) io.stdout(`${JSON.stringify(planToJson(report), null, 2)}\n`);
  else io.stdout(formatPlanText(report, io));
  return reportExit(report);
}

export function planToJson(report: Report) {
  const json = reportToJson(report);
  return { schemaVersion: 1 as const, base: json.base, head: json.head, plan: json.plan, stale: json.stale };
}

/** The plan part of the text report: the per-site summary lines without file diffs. */
export function formatPlanText(report: Report, io: CliIo): string {
  const text = formatReportText(report, { color: styleFor(io).color, diffs: false });
  // Keep the changes (why each site deploys) but not the per-file lines.
  return text
    .split('\n')
    .filter((l) => !/^ {4}\[[+~-]\] /.test(l))
    .join('\n');
}
