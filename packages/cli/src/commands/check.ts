import { hasErrors } from '@osa-gitops/core';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { UsageError } from '../usage-error';
import { progressFor } from '../terminal/progress';
import { styleFor } from '../terminal/style';
import { findStaleFiles, type StaleFile } from '../workspace/find-stale-files';
import { compileWithProgress, formatValidation, workspaceToJson } from './validate';

export const CHECK_HELP = `Usage: osa-gitops check [site...] [--json]

Validate, render in memory and compare with the committed trees under
environments/<site>/openstack_deploy/. Prints every stale file with its diff: "missing" (rendered,
not committed), "changed" (committed bytes differ), "orphan" (owned by the committed manifest, no
longer rendered). Writes nothing; fix drift with "osa-gitops render" and commit the result.

Options:
  --no-fleet  compare only the listed sites, without loading the others or the fleet rules (for
              per-site Nx targets; the fleet rules run in plain validate or check)
  --json      machine-readable output (docs/cli.md, "check --json")
  -h, --help  show this help

Exit codes: 0 valid and up to date, 1 invalid or stale, 2 usage error.
`;

export async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, { 'no-fleet': { type: 'boolean' } });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT.ok;
  }
  if (values['no-fleet'] && positionals.length === 0) {
    throw new UsageError('--no-fleet needs the sites to check (the fleet rules need all of them)');
  }
  const ws = await compileWithProgress(io, positionals, values['no-fleet'] ? { fleet: false } : {});
  const progress = progressFor(io);
  const stale: StaleFile[] = [];
  try {
    for (const [i, s] of ws.sites.entries()) {
      progress.update(i, ws.sites.length, 'comparing');
      stale.push(...(await findStaleFiles(io.cwd, s)));
    }
  } finally {
    progress.done();
  }
  const ok = ws.ok && stale.length === 0;
  if (values.json) {
    const json = workspaceToJson(ws);
    io.stdout(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          command: 'check',
          ok,
          sites: json.sites.map((s) => ({
            ...s,
            stale: stale
              .filter((f) => f.site === s.site)
              .map(({ path, kind, diff }) => ({ path, kind, diff })),
          })),
          fleetIssues: json.fleetIssues,
        },
        null,
        2,
      )}\n`,
    );
    return ok ? EXIT.ok : EXIT.failed;
  }
  const style = styleFor(io);
  if (!ws.ok || ws.sites.some((s) => s.issues.length > 0) || ws.fleetIssues.length > 0) {
    io.stdout(formatValidation(ws, io));
  }
  for (const f of stale) {
    io.stdout(`${style.red(`✖ stale (${f.kind})`)} environments/${f.site}/openstack_deploy/${f.path}\n`);
    io.stdout(`${indent(f.diff)}\n`);
  }
  const checked = ws.sites.filter((s) => s.tree && !hasErrors(s.issues)).length;
  if (stale.length > 0) {
    const sites = [...new Set(stale.map((f) => f.site))];
    io.stdout(
      style.red(`✖ ${stale.length} stale file(s) in ${sites.join(', ')}.`) +
        ` Run "osa-gitops render ${sites.join(' ')}" and commit the result.\n`,
    );
  } else if (ws.ok) {
    io.stdout(style.green(`✔ ${checked} site(s) valid, committed trees up to date`) + '\n');
  }
  return ok ? EXIT.ok : EXIT.failed;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
