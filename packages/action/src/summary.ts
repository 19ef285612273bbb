import * as core from '@actions/core';

/**
 * Append Markdown to the job summary. Outside a runner (a local run, a test without
 * GITHUB_STEP_SUMMARY) @actions/core throws; the summary is a convenience there, so skip it.
 */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set; skipping the job summary.');
    return;
  }
  await core.summary.addRaw(markdown, true).write();
}
