import { hasErrors, renderedTreeDir } from '@osa-gitops/core';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { progressFor } from '../terminal/progress';
import { styleFor } from '../terminal/style';
import type { CompiledWorkspace } from '../workspace/compile-workspace';
import { writeSiteTree, type WriteSiteTreeResult } from '../workspace/write-site-tree';
import { compileWithProgress, formatValidation, workspaceToJson } from './validate';

export const RENDER_HELP = `Usage: osa-gitops render [site...] [--json]

Validate, then write each site's override tree into environments/<site>/openstack_deploy/.
Only changed files are written (atomically); files the previous manifest owned that are no longer
rendered are removed; files the tool does not own are never touched. Any error, in any site
(listed or not) or the fleet, writes nothing at all. Same bytes and the same rule as the Nx
render generator.

Options:
  --json      machine-readable output (docs/cli.md, "render --json")
  -h, --help  show this help

Exit codes: 0 every site valid and written, 1 any site (listed or not) or the fleet is invalid
(nothing written), 2 usage error.
`;

export interface SiteWrite extends WriteSiteTreeResult {
  readonly site: string;
}

export async function runRender(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('render', args, {});
  if (values.help) {
    io.stdout(RENDER_HELP);
    return EXIT.ok;
  }
  const ws = await compileWithProgress(io, positionals);
  const writes = await writeTrees(io, ws);
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ schemaVersion: 1, command: 'render', ...renderedJson(ws, writes) }, null, 2)}\n`,
    );
  } else {
    io.stdout(formatValidation(ws, io));
    io.stdout(formatWrites(ws, writes, io));
  }
  return writable(ws) ? EXIT.ok : EXIT.failed;
}

/** Shown instead of the write summary when an error blocked writing. */
export const NOTHING_WRITTEN = 'nothing written: fix the errors above';

/** Whether anything may be written: no error in any site, requested or not, nor the fleet. */
export function writable(ws: CompiledWorkspace): boolean {
  return ws.ok && ws.invalidElsewhere.length === 0;
}

/**
 * Write every requested site's tree, or nothing when any error exists anywhere (a site's or the
 * fleet's, in a requested site or another): the rule the README states and the Nx render
 * generator follows. Writing the valid sites of an invalid fleet would leave a half-updated
 * commit whose trees pass `check` but cannot deploy.
 */
export async function writeTrees(io: CliIo, ws: CompiledWorkspace): Promise<SiteWrite[]> {
  if (!writable(ws)) return [];
  const progress = progressFor(io);
  const valid = ws.sites.filter((s) => s.tree && !hasErrors(s.issues));
  const out: SiteWrite[] = [];
  try {
    for (const [i, s] of valid.entries()) {
      progress.update(i, valid.length, 'writing');
      out.push({ site: s.site, ...(await writeSiteTree(io.cwd, s.site, s.tree!)) });
    }
  } finally {
    progress.done();
  }
  return out;
}

/** `ok`, `sites` (each with what was written) and `fleetIssues`: shared by `render` and `ci` JSON. */
export function renderedJson(ws: CompiledWorkspace, writes: readonly SiteWrite[]) {
  const json = workspaceToJson(ws);
  const bySite = new Map(writes.map((w) => [w.site, w]));
  return {
    // False too when another site's error blocked writing (`render <site>` of a valid site).
    ok: writable(ws),
    sites: json.sites.map((s) => ({ ...s, ...writeToJson(bySite.get(s.site)) })),
    fleetIssues: json.fleetIssues,
  };
}

function writeToJson(w: SiteWrite | undefined) {
  return {
    written: w?.written ?? [],
    removed: w?.removed ?? [],
    unchanged: w?.unchanged.length ?? 0,
  };
}

/** `M`/`D` lines per changed file, then a one-line total; or why nothing was written. */
export function formatWrites(ws: CompiledWorkspace, writes: readonly SiteWrite[], io: CliIo): string {
  const style = styleFor(io);
  if (!ws.ok) return `${style.red(NOTHING_WRITTEN)}\n`;
  if (!writable(ws)) {
    const others = ws.invalidElsewhere.join(' ');
    return `${style.red(`nothing written: fix the errors in ${ws.invalidElsewhere.join(', ')}`)} (see "osa-gitops validate ${others}")\n`;
  }
  const out: string[] = [];
  for (const w of writes) {
    const dir = renderedTreeDir(w.site);
    for (const p of w.written) out.push(`  ${style.green('write')}  ${dir}/${p}`);
    for (const p of w.removed) out.push(`  ${style.red('remove')} ${dir}/${p}`);
  }
  const changed = writes.filter((w) => w.written.length + w.removed.length > 0).length;
  const files = writes.reduce((n, w) => n + w.written.length + w.removed.length, 0);
  out.push(
    files === 0
      ? `Rendered ${writes.length} site(s): every committed tree is already up to date.`
      : `Rendered ${writes.length} site(s): ${files} file(s) changed in ${changed} site(s).`,
  );
  return `${out.join('\n')}\n`;
}
