import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as core from '@actions/core';
import {
  DRIFT_KINDS,
  type DriftKind,
  driftIssueMarker,
  driftIssueTitle,
  formatDriftMarkdown,
  type DriftReport,
} from '@osa-gitops/report';
import { z } from 'zod';
import type { GitHubClient } from '../github/client.js';
import type { ActionConfig } from '../inputs.js';
import { capMarkdown } from '../report/cap-markdown.js';

/** Label on every drift issue; with the marker and the bot author it finds ours. */
export const DRIFT_LABEL = 'osa-gitops-drift';
const MAX_FILE_BYTES = 1_000_000;
const MAX_SITES = 1_000;

/**
 * What `osa-gitops drift <site> --json` writes on the site's runner. Parsed again here (a
 * runner is another machine): only the fields the issue shows, with caps.
 */
const DriftJson = z.object({
  schemaVersion: z.literal(1),
  site: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  configDir: z.string().max(4096),
  deployedCommit: z.string().max(64).nullable(),
  deployedAt: z.string().max(64).nullable(),
  headCommit: z.string().max(64).nullable(),
  findings: z
    .array(
      z.object({
        kind: z.enum(DRIFT_KINDS as [DriftKind, ...DriftKind[]]),
        file: z.string().max(400).optional(),
        message: z.string().max(2000),
      }),
    )
    .max(1000),
  drifting: z.boolean(),
});

interface Issue {
  readonly number: number;
  readonly state: string;
  readonly body?: string | null;
  readonly user?: { readonly login?: string; readonly type?: string } | null;
  readonly pull_request?: unknown;
}

export interface DriftIssueResult {
  readonly site: string;
  readonly operation: 'created' | 'updated' | 'unchanged' | 'closed' | 'none';
  readonly number?: number;
}

/**
 * The last job of the scheduled drift workflow: one issue per site, found by label, marker and
 * the bot author (anyone can write a marker into an issue): a drifting site's issue is opened,
 * or updated in place; a site without drift gets its open issue closed with a comment. A site
 * whose runner left no report (offline, failed) is not touched: no news is not "no drift".
 */
export async function runDriftIssues(
  config: ActionConfig,
  client: GitHubClient,
): Promise<DriftIssueResult[]> {
  const reports = await readDriftReports(config.driftDir);
  if (reports.length === 0) {
    core.warning(`No drift reports in ${config.driftDir}: no site was checked, no issue changed.`);
    core.setOutput('drifting', '[]');
    return [];
  }
  const issues = (
    await client.paginate<Issue>(client.repoPath('/issues'), {
      query: { state: 'open', labels: DRIFT_LABEL, per_page: 100 },
      permission: 'issues: read',
    })
  ).filter((i) => !i.pull_request && i.user?.type === 'Bot' && i.user.login === config.commentAuthor);

  const results: DriftIssueResult[] = [];
  for (const r of reports) {
    const marker = driftIssueMarker(r.site);
    const open = issues.filter((i) => i.body?.startsWith(marker)).sort((a, b) => a.number - b.number);
    const [ours] = open;
    if (r.drifting) {
      const body = capMarkdown(
        formatDriftMarkdown(r),
        config.budget,
        'Findings shortened to fit the issue size limit.',
      );
      if (!ours) {
        const created = await client.request<Issue>('POST', client.repoPath('/issues'), {
          body: { title: driftIssueTitle(r.site), body, labels: [DRIFT_LABEL] },
          permission: 'issues: write',
        });
        results.push({ site: r.site, operation: 'created', number: created.number });
      } else if (ours.body !== body) {
        await client.request('PATCH', client.repoPath(`/issues/${ours.number}`), {
          body: { body },
          permission: 'issues: write',
        });
        results.push({ site: r.site, operation: 'updated', number: ours.number });
      } else results.push({ site: r.site, operation: 'unchanged', number: ours.number });
    } else if (ours) {
      await client.request('POST', client.repoPath(`/issues/${ours.number}/comments`), {
        body: {
          body: `No drift on ${r.site} any more (checked at ${r.headCommit?.slice(0, 12) ?? 'main'}); closing.`,
        },
        permission: 'issues: write',
      });
      await client.request('PATCH', client.repoPath(`/issues/${ours.number}`), {
        body: { state: 'closed', state_reason: 'completed' },
        permission: 'issues: write',
      });
      results.push({ site: r.site, operation: 'closed', number: ours.number });
    } else results.push({ site: r.site, operation: 'none' });
  }
  for (const x of results) core.info(`${x.site}: ${x.operation}${x.number ? ` (#${x.number})` : ''}`);
  core.setOutput('drifting', JSON.stringify(reports.filter((r) => r.drifting).map((r) => r.site)));
  return results;
}

/** Every `<site>.json` in the folder (the runners' artifacts, merged), validated and capped. */
async function readDriftReports(dir: string): Promise<DriftReport[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort();
  if (files.length > MAX_SITES) throw new Error(`More than ${MAX_SITES} drift reports in ${dir}.`);
  const reports: DriftReport[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    const stat = await fs.lstat(file);
    if (stat.size > MAX_FILE_BYTES)
      throw new Error(`The drift report ${name} is over ${MAX_FILE_BYTES} bytes.`);
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch {
      throw new Error(`The drift report ${name} is not JSON.`);
    }
    const parsed = DriftJson.safeParse(json);
    if (!parsed.success)
      throw new Error(`The drift report ${name} is malformed: ${parsed.error.issues[0]?.message}.`);
    if (`${parsed.data.site}.json` !== name)
      throw new Error(`The drift report ${name} is for site ${parsed.data.site}.`);
    reports.push(parsed.data);
  }
  return reports;
}
