import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { hasErrors } from '@osa-gitops/core';
import { formatSourcePath, ImportInputError, type ImportFinding } from '@osa-gitops/import';
import { createFsSourceReader, prepareImport, readConfigDir, workspaceFormatter } from '@osa-gitops/loader';
import { parseCommandArgs } from '../args';
import { EXIT, type CliIo } from '../io';
import { formatIssuesForTerminal, issueToJson } from '../terminal/issues';
import { styleFor, type Style } from '../terminal/style';
import { UsageError } from '../usage-error';
import { loadTimeoutFromEnv } from '../workspace/compile-workspace';

export const IMPORT_HELP = `Usage: osa-gitops import <config-dir> --site <name> [--json]

Adopt an existing site: read an OpenStack-Ansible config dir (openstack_user_config.yml, conf.d/
merged as OSA merges it, env.d/, user_*.yml, group_vars/, host_vars/), write
environments/<name>/environment.ts, and validate it with every other site. YAML only: no Jinja is
evaluated; the guide's networkd list builders are read, other templates are reported.

Besides the definition it reports findings (docs/import.md): what OSA really does with the input
where it differs from how it looks (the traps, fixed in the definition), what the definition
leaves out, what it adds, and what to clean up in the config dir before the first deploy.

Options:
  --site <name>  the new site's name (lowercase kebab-case; must not exist yet)
  --json         findings and validation issues as data
  -h, --help     show this help

Exit codes: 0 written and valid, 1 written with validation errors (fix them, then render), or bad
input (nothing written), 2 usage error.
`;

/**
 * `osa-gitops import`: the IO around the loader's prepareImport. Bad input (not a config dir,
 * YAML that does not parse, a file that is not a mapping, unknown top-level keys, an existing
 * site) writes nothing. The definition is written once it loads and evaluates to the imported
 * data, also when validation finds errors (e.g. the guide's example MACs), so the operator can
 * fix them in place.
 */
export async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('import', args, { site: { type: 'string' } });
  if (values.help) {
    io.stdout(IMPORT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one <config-dir>', 'import');
  const site = values.site;
  if (site === undefined || site === '') throw new UsageError('--site <name> is required', 'import');
  const configDir = path.resolve(io.cwd, positionals[0]!);
  const timeoutMs = loadTimeoutFromEnv(io.env);

  let prepared;
  try {
    prepared = await prepareImport(io.cwd, readConfigDir(configDir), {
      site,
      reader: createFsSourceReader(io.cwd),
      format: workspaceFormatter(io.cwd),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  } catch (err) {
    if (!(err instanceof ImportInputError)) throw err;
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ schemaVersion: 1, command: 'import', ok: false, site, written: null, error: err.message, findings: [], issues: [] }, null, 2)}\n`,
      );
    } else {
      io.stderr(`osa-gitops import: ${err.message}\nNothing was written.\n`);
    }
    return EXIT.failed;
  }

  const target = path.join(io.cwd, prepared.file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  // `wx`: never replace a file that appeared since the check (another import, an editor).
  await fs.writeFile(target, prepared.source, { flag: 'wx' });

  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          command: 'import',
          ok: prepared.ok,
          site,
          written: prepared.file,
          findings: prepared.findings.map(findingToJson),
          issues: prepared.issues.map(issueToJson),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout(formatImport(prepared.findings, styleFor(io)));
    if (prepared.issues.length > 0)
      io.stdout(`\n${formatIssuesForTerminal(prepared.issues, styleFor(io))}\n`);
    const style = styleFor(io);
    io.stdout(
      hasErrors(prepared.issues)
        ? `\n${style.red(`✖ wrote ${prepared.file}, which has validation errors`)}: fix them (above), then run osa-gitops render\n`
        : `\n${style.green(`✔ wrote ${prepared.file}`)}; next: osa-gitops render, review, commit\n`,
    );
  }
  return prepared.ok ? EXIT.ok : EXIT.failed;
}

export function findingToJson(f: ImportFinding) {
  return {
    code: f.code,
    kind: f.kind,
    file: f.file,
    path: [...f.path],
    message: f.message,
    action: f.action,
  };
}

const SECTIONS: [ImportFinding['kind'], string][] = [
  ['trap', 'What OSA really does with this config (fixed in the definition)'],
  ['left-out', 'Left out (the definition cannot express it)'],
  ['added', 'Added by the definition'],
  ['note', 'Notes and clean-up before the first deploy'],
];

/** Findings grouped by kind, each with where it is and what was done. */
export function formatImport(findings: readonly ImportFinding[], style: Style): string {
  const out: string[] = [];
  for (const [kind, title] of SECTIONS) {
    const list = findings.filter((f) => f.kind === kind);
    if (list.length === 0) continue;
    out.push(style.bold(`${title}:`));
    for (const f of list) {
      const at = f.path.length > 0 ? `${f.file} → ${formatSourcePath(f.path)}` : f.file;
      out.push(`  ${style.dim(`[${f.code}]`)} ${at}\n    ${f.message}\n    ${style.dim('→')} ${f.action}`);
    }
    out.push('');
  }
  if (out.length === 0) out.push('No findings: the config is what osa-gitops would render.', '');
  return `${out.join('\n')}`;
}
