import * as path from 'node:path';
import { type GeneratorCallback, logger, type Tree } from '@nx/devkit';
import { formatIssueBlocks } from '@osa-gitops/core';
import { formatSourcePath, ImportInputError, type ImportFinding } from '@osa-gitops/import';
import { loadTimeoutSetting, prepareImport, readConfigDir, workspaceFormatter } from '@osa-gitops/loader';
import { createTreeSourceReader } from '../../lib/tree-source-reader';
import type { ImportGeneratorSchema } from './schema';
import { GeneratorFailure } from '../../lib/generator-failure';

/**
 * `nx g @osa-gitops/nx-plugin:import --configDir=<dir> --site=<name>`: the same import as
 * `osa-gitops import`, with the same outcome (docs/import.md). Both run the loader's prepareImport
 * (core's mapping, the printed definition formatted by the workspace's prettier, then loaded and
 * validated with every site of the Tree) and print the issues the same way, at the same
 * file:line:column. Bad input throws: Nx writes nothing, and the CLI exits 1 having written
 * nothing. A definition with validation errors (site or fleet) is written, as the CLI writes it,
 * and the generator then fails, as the CLI exits 1: the callback it returns runs after Nx has
 * written the file, and throws.
 */
export async function importGenerator(
  tree: Tree,
  options: ImportGeneratorSchema,
): Promise<GeneratorCallback | undefined> {
  const configDir = path.resolve(tree.root, options.configDir);
  const timeout = loadTimeoutSetting(process.env);
  if (!timeout.ok) throw new GeneratorFailure(timeout.message);
  let prepared;
  try {
    prepared = await prepareImport(tree.root, readConfigDir(configDir), {
      site: options.site,
      reader: createTreeSourceReader(tree),
      format: workspaceFormatter(tree.root),
      ...(timeout.timeoutMs === undefined ? {} : { timeoutMs: timeout.timeoutMs }),
    });
  } catch (err) {
    if (err instanceof ImportInputError)
      throw new GeneratorFailure(`import: ${err.message}. Nothing was written.`);
    throw err;
  }
  for (const f of prepared.findings) logger.info(formatFinding(f));
  // Written as validated: formatting it again could move the lines the issues point at.
  tree.write(prepared.file, prepared.source);
  if (prepared.issues.length > 0) {
    const log = prepared.ok ? logger.warn : logger.error;
    log(formatIssueBlocks(prepared.issues));
  }
  if (prepared.ok) return undefined;
  const file = prepared.file;
  return () => {
    throw new GeneratorFailure(`Wrote ${file}, which has validation errors: fix them (above), then render.`);
  };
}

function formatFinding(f: ImportFinding): string {
  const at = f.path.length > 0 ? `${f.file} → ${formatSourcePath(f.path)}` : f.file;
  return `[${f.code}] (${f.kind}) ${at}: ${f.message} → ${f.action}`;
}

export default importGenerator;
