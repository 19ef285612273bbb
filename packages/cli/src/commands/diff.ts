import { formatReportMarkdown, formatReportText, reportToJson, type Report } from '@osa-gitops/report';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { Git } from '@osa-gitops/git';
import { CommittedTrees } from '../git/committed-trees';
import { memorySourceReader, readDeploySettings } from '../report/deploy-settings';
import { diffRefs } from '../report/diff-refs';
import { styleFor } from '../terminal/style';
import { UsageError } from '../usage-error';

export const DIFF_HELP = `Usage: osa-gitops diff --base <ref> [--head <ref>] [--json | --markdown] [--no-diffs]

Compare the committed rendered trees of two states of the repository and report, per changed
site, the network-level changes (VIP moved, gateway changed, VLAN id changed, haproxy host
added/removed, bind mode, pool resized, router id) with their disruption class, the unified diff
of the rendered YAML, and the deploy plan. Reads trees from git objects (no checkout).

The report reads committed trees, so it also looks for definitions that changed without a
render: with the working tree as head, the sites whose sources changed since <ref> (every site
when environments/_shared or the tool changed) are rendered in memory like "check" does; with
--head <ref>, a site whose folder changed while its committed tree did not is named. Each such
site is listed first as STALE with what to run, and the exit code is 1.

Options:
  --base <ref>  what to compare against (e.g. origin/main)       (required)
  --head <ref>  the newer state                      (default: the working tree)
  --json        the report as JSON, schemaVersion 1 (docs/cli.md, "diff --json")
  --markdown    the report as the PR comment Markdown (size-budgeted)
  --no-diffs    text output without the unified diffs
                (--json, --markdown and --no-diffs: one at most; exit 2 otherwise)
  -h, --help    show this help

Exit codes: 0 report printed (changes are not failures), 1 a stale site (report printed) or git\nfailed, 2 usage error or unknown ref.
`;

export async function runDiff(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('diff', args, {
    base: { type: 'string' },
    head: { type: 'string' },
    markdown: { type: 'boolean' },
    'no-diffs': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(DIFF_HELP);
    return EXIT.ok;
  }
  // One output format per run: refused before any git work, like every other usage error.
  if (values.json && values.markdown)
    throw new UsageError('--json and --markdown cannot be combined; choose one', 'diff');
  if (values['no-diffs'] && (values.json || values.markdown)) {
    throw new UsageError(
      '--no-diffs applies to the text output only; drop it or drop --json/--markdown',
      'diff',
    );
  }
  const report = await reportFor(io, 'diff', values.base, values.head);
  if (values.json) io.stdout(`${JSON.stringify(reportToJson(report), null, 2)}\n`);
  else if (values.markdown) io.stdout(formatReportMarkdown(report));
  else io.stdout(formatReportText(report, { color: styleFor(io).color, diffs: !values['no-diffs'] }));
  return reportExit(report);
}

/** A report that leaves out a stale site's change is printed, but fails like `check` does. */
export function reportExit(report: Report): number {
  return (report.stale ?? []).length > 0 ? EXIT.failed : EXIT.ok;
}

/** The report for `diff`/`plan`: `--base` required; deploy settings from the working tree when it is the head. */
export async function reportFor(
  io: CliIo,
  command: string,
  base: string | undefined,
  head: string | undefined,
): Promise<Report> {
  if (base === undefined || base === '')
    throw new UsageError('--base <ref> is required (e.g. --base origin/main)', command);
  return diffRefs(io.cwd, base, head, {
    // Runner and config dir from the definitions of the head: the working tree's, or the ref's.
    deploySettings: async (sites) =>
      head === undefined
        ? readDeploySettings(io.cwd, sites)
        : readDeploySettings(
            io.cwd,
            sites,
            memorySourceReader(await new CommittedTrees(Git.at(io.cwd)).readDefinitionSourcesAtRef(head)),
          ),
    ...(io.env['OSA_GITOPS_DEBUG'] ? { gitLog: (cmd: string) => io.stderr(`osa-gitops: ${cmd}\n`) } : {}),
    findStale: true,
    env: io.env,
  });
}
