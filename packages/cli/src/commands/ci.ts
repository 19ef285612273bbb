import { hasErrors } from '@osa-gitops/core';
import { buildReport, reportToJson, type Report } from '@osa-gitops/report';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { diffRefs } from '../report/diff-refs';
import { styleFor } from '../terminal/style';
import type { CompiledWorkspace } from '../workspace/compile-workspace';
import { formatPlanText } from './plan';
import { formatWrites, renderedJson, writeTrees } from './render';
import { compileWithProgress, formatValidation } from './validate';

export const CI_HELP = `Usage: osa-gitops ci [--base <ref>] [--json]

What "npm start" runs on a fresh clone:
  1. validate every site and the fleet rules;
  2. render every site into environments/<site>/openstack_deploy/ and list changed files; with
     any error (a site's or the fleet's) nothing is written;
  3. print the deploy plan: against --base if given, otherwise every site as if it were deployed
     for the first time (the output says so).

Options:
  --base <ref>  plan against this ref (e.g. origin/main)
  --json        { schemaVersion: 1, command: "ci", ok, sites, fleetIssues, report } (docs/cli.md)
  -h, --help    show this help

Exit codes: 0 every site valid, 1 a site or the fleet is invalid, 2 usage error or unknown ref.
`;

/** Base label when no --base is given. */
export const FIRST_DEPLOY_BASE = 'nothing (every site as if first deployed)';

export async function runCi(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('ci', args, { base: { type: 'string' } });
  if (values.help) {
    io.stdout(CI_HELP);
    return EXIT.ok;
  }
  const ws = await compileWithProgress(io, []);
  const writes = await writeTrees(io, ws);
  const report =
    values.base === undefined
      ? firstDeployReport(ws)
      : await diffRefs(io.cwd, values.base, undefined, { deploySettings: async () => deployMap(ws) });

  if (values.json) {
    const json = {
      schemaVersion: 1,
      command: 'ci',
      ...renderedJson(ws, writes),
      report: reportToJson(report),
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return ws.ok ? EXIT.ok : EXIT.failed;
  }

  const style = styleFor(io);
  io.stdout(`${style.bold('1. Validate')}\n${formatValidation(ws, io)}\n`);
  io.stdout(`${style.bold('2. Render')}\n${formatWrites(ws, writes, io)}\n`);
  io.stdout(`${style.bold('3. Plan')}\n`);
  if (values.base === undefined) {
    io.stdout('No --base given: planning every valid site as if it were deployed for the first time.\n');
  }
  io.stdout(formatPlanText(report, io));
  return ws.ok ? EXIT.ok : EXIT.failed;
}

/** Every valid site against an empty tree: what a first deploy of the whole fleet would do. */
function firstDeployReport(ws: CompiledWorkspace): Report {
  const deploy = deployMap(ws);
  return buildReport(
    ws.sites
      .filter((s) => s.tree && !hasErrors(s.issues))
      .map((s) => ({
        site: s.site,
        after: s.tree!,
        ...(deploy.has(s.site) ? { deploy: deploy.get(s.site)! } : {}),
      })),
    { base: FIRST_DEPLOY_BASE, head: 'working tree' },
  );
}

function deployMap(ws: CompiledWorkspace) {
  return new Map(
    ws.sites.flatMap((s) =>
      s.environment
        ? [
            [
              s.site,
              {
                runnerLabel: s.environment.deploy.runnerLabel,
                configDir: s.environment.deploy.configDir,
                hostNetworking: s.environment.deploy.hostNetworking,
              },
            ] as const,
          ]
        : [],
    ),
  );
}
