import { hasErrors } from '@osa-gitops/core';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { UsageError } from '../usage-error';
import { formatIssuesForTerminal, issueToJson } from '../terminal/issues';
import { progressFor } from '../terminal/progress';
import { styleFor } from '../terminal/style';
import { compileWorkspace, type CompiledWorkspace } from '../workspace/compile-workspace';

export const VALIDATE_HELP = `Usage: osa-gitops validate [site...] [--json]

Load and validate site definitions (environments/<site>/environment.ts), plus the fleet rules
across all sites (overlapping networks, duplicate VIPs, VRRP router ids on shared segments).
All sites are always loaded for the fleet rules; the listed ones (default: all) are reported.

Options:
  --no-fleet  load and check only the listed sites, without the fleet rules (for per-site Nx
              targets; the fleet rules run once in the Nx fleet target, or in plain validate)
  --json      machine-readable output (docs/cli.md, "validate --json")
  -h, --help  show this help

Exit codes: 0 valid (warnings allowed), 1 an error issue, 2 usage error.
`;

export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, { 'no-fleet': { type: 'boolean' } });
  if (values.help) {
    io.stdout(VALIDATE_HELP);
    return EXIT.ok;
  }
  if (values['no-fleet'] && positionals.length === 0) {
    throw new UsageError('--no-fleet needs the sites to validate (the fleet rules need all of them)');
  }
  // validate writes nothing: no render (check, which compares trees, keeps it).
  const ws = await compileWithProgress(io, positionals, {
    render: false,
    ...(values['no-fleet'] ? { fleet: false } : {}),
  });
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ schemaVersion: 1, command: 'validate', ...workspaceToJson(ws) }, null, 2)}\n`,
    );
  } else {
    io.stdout(formatValidation(ws, io));
  }
  return ws.ok ? EXIT.ok : EXIT.failed;
}

/** compileWorkspace with the progress line (stderr, TTY, more than 20 sites). */
export async function compileWithProgress(
  io: CliIo,
  sites: readonly string[],
  opts: { readonly fleet?: boolean; readonly render?: boolean } = {},
): Promise<CompiledWorkspace> {
  const progress = progressFor(io);
  try {
    return await compileWorkspace(io.cwd, {
      ...opts,
      ...(sites.length > 0 ? { sites } : {}),
      env: io.env,
      onProgress: (done, total, phase) => progress.update(done, total, phase),
    });
  } finally {
    progress.done();
  }
}

/** The shared `sites`/`fleetIssues`/`ok` part of every command's JSON. */
export function workspaceToJson(ws: CompiledWorkspace) {
  return {
    ok: ws.ok,
    sites: ws.sites.map((s) => ({
      site: s.site,
      file: s.file,
      ok: !hasErrors(s.issues),
      issues: s.issues.map(issueToJson),
    })),
    fleetIssues: ws.fleetIssues.map(issueToJson),
  };
}

/** Issues first, then one summary line. */
export function formatValidation(ws: CompiledWorkspace, io: CliIo): string {
  const style = styleFor(io);
  const issues = [...ws.sites.flatMap((s) => s.issues), ...ws.fleetIssues];
  const out: string[] = [];
  if (issues.length > 0) out.push(formatIssuesForTerminal(issues, style), '');
  // A fleet conflict is printed under the sites it names, so it counts for them; only a fleet
  // error naming no requested site is "the fleet".
  const requested = new Set(ws.sites.map((s) => s.site));
  const fleetErrors = ws.fleetIssues.filter((i) => i.severity === 'error');
  const fleetSites = new Set(fleetErrors.map((i) => i.site));
  const bad = ws.sites.filter((s) => hasErrors(s.issues) || fleetSites.has(s.site)).map((s) => s.site);
  const fleetOnly = fleetErrors.some((i) => !requested.has(i.site));
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const counts = `${errors} error(s), ${warnings} warning(s)`;
  if (ws.ok)
    out.push(style.green(`✔ ${ws.sites.length} site(s) valid`) + (warnings > 0 ? ` (${counts})` : ''));
  else if (bad.length === 0) out.push(style.red(`✖ ${counts}${fleetOnly ? ' in the fleet rules' : ''}`));
  else {
    out.push(
      style.red(`✖ ${counts} in ${bad.length} of ${ws.sites.length} site(s): ${bad.join(', ')}`) +
        (fleetOnly ? ' and the fleet' : ''),
    );
  }
  return `${out.join('\n')}\n`;
}
