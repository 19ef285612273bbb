import * as fs from 'node:fs/promises';
import * as core from '@actions/core';
import type { ActionConfig } from '../inputs.js';
import { writeRenderArtifact } from '../render-artifact/write-render-artifact.js';
import { writeSummary } from '../summary.js';
import { renderLocally } from './render-locally.js';
import { isBotBranch, sourceBranch } from './source-branch.js';

/**
 * The first half of propose.yml, in a job with a read-only token and no secrets: render every
 * site of the pushed commit (this runs the branch's definitions) and write the rendered trees,
 * the source commit and the PR body to `render-dir` for the publish job. No push, no API call:
 * whatever the branch's code does here, it has nothing to write with.
 */
export async function runRender(config: ActionConfig): Promise<void> {
  const source = sourceBranch(config);
  if (isBotBranch(config, source)) {
    core.notice(`${source} is an osa-gitops bot branch; nothing to render.`);
    return;
  }
  // A leftover artifact from an earlier step must not be mixed into this one.
  await fs.rm(config.renderDir, { recursive: true, force: true });
  const r = await renderLocally(config, source);
  const meta = await writeRenderArtifact({
    root: config.workingDirectory,
    dir: config.renderDir,
    sourceBranch: source,
    sourceSha: r.sourceSha,
    sites: r.sites,
    report: r.body,
  });
  core.info(
    `Rendered ${meta.sites.length} site(s) of ${source} at ${r.sourceSha}: ${meta.files.length} file(s) in ${config.renderDir}` +
      (r.commit ? ` (${r.commit.files.length} changed).` : ' (the committed trees are up to date).'),
  );
  await writeSummary(
    `### osa-gitops render\n\n${source} at \`${r.sourceSha.slice(0, 12)}\`: ` +
      (r.commit
        ? `${r.commit.files.length} rendered file(s) differ from the committed trees; the publish job proposes them.\n`
        : 'the committed trees are up to date.\n'),
  );
}
