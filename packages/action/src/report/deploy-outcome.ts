import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { SITE_NAME } from '@osa-gitops/core';
import { CHECK_IDS, type CheckId, type VerifyResult } from '@osa-gitops/render';
import { z } from 'zod';

const MAX_FILE_BYTES = 2_000_000;
const MAX_SITES = 1_000;
// What `deploy --commit` accepts: a person on the host may have recorded an abbreviated id.
const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a commit id');
const text = z.string().max(2_000);

/**
 * The part of `osa-gitops deploy --outcome <file>` (the `--json` summary, docs/cli.md) the revert
 * job reads. The deploy job ran on the site's runner and wrote it there; it is parsed again here
 * with caps, and only these fields are used.
 */
const DeployOutcomeJson = z.object({
  schemaVersion: z.literal(1),
  command: z.literal('deploy'),
  site: z.string().regex(SITE_NAME),
  commit: sha.nullable(),
  exitCode: z.number().int(),
  verify: z
    .object({
      schemaVersion: z.literal(1),
      site: z.string().regex(SITE_NAME),
      ok: z.boolean(),
      counts: z.object({
        pass: z.number().int().min(0),
        fail: z.number().int().min(0),
        'not-applicable': z.number().int().min(0),
      }),
      checks: z
        .array(
          z.object({
            id: z.enum(CHECK_IDS as [CheckId, ...CheckId[]]),
            subject: text,
            status: z.enum(['pass', 'fail', 'not-applicable']),
            expected: text,
            found: text,
            // Where a check failed: the haproxy container(s), the VIP, the frontend port.
            instance: text.optional(),
            vip: text.optional(),
            port: z.number().int().min(0).max(65_535).optional(),
          }),
        )
        .max(10_000),
    })
    .nullable(),
  lastVerifiedCommit: sha.nullable(),
});

export interface DeployOutcome {
  readonly site: string;
  /** The commit the deploy deployed (null when the deploy did not know it). */
  readonly commit: string | null;
  readonly exitCode: number;
  /** Verify's verdict, undefined when verify did not judge (an earlier stage failed or waits). */
  readonly verify?: VerifyResult;
  /** The last commit whose deploy passed verify on the site's deploy host, null before any. */
  readonly lastVerifiedCommit: string | null;
}

/** Every `<site>.json` in the folder (the deploy jobs' artifacts, merged), validated. */
export async function readDeployOutcomes(dir: string): Promise<DeployOutcome[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort();
  if (files.length > MAX_SITES) throw new Error(`More than ${MAX_SITES} deploy outcomes in ${dir}.`);
  const out: DeployOutcome[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    if ((await fs.lstat(file)).size > MAX_FILE_BYTES)
      throw new Error(`The deploy outcome ${name} is over ${MAX_FILE_BYTES} bytes.`);
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch {
      throw new Error(`The deploy outcome ${name} is not JSON.`);
    }
    const parsed = DeployOutcomeJson.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `The deploy outcome ${name} is malformed: ${issue?.path.join('.') || '(root)'} ${issue?.message}.`,
      );
    }
    const o = parsed.data;
    if (`${o.site}.json` !== name) throw new Error(`The deploy outcome ${name} is for site ${o.site}.`);
    if (o.verify && o.verify.site !== o.site)
      throw new Error(`The deploy outcome ${name} carries the checks of site ${o.verify.site}.`);
    out.push({
      site: o.site,
      commit: o.commit,
      exitCode: o.exitCode,
      ...(o.verify
        ? {
            verify: {
              site: o.verify.site,
              ok: o.verify.ok,
              counts: o.verify.counts,
              checks: o.verify.checks.map((c) => ({
                id: c.id,
                subject: c.subject,
                status: c.status,
                expected: c.expected,
                found: c.found,
                ...(c.instance !== undefined ? { instance: c.instance } : {}),
                ...(c.vip !== undefined ? { vip: c.vip } : {}),
                ...(c.port !== undefined ? { port: c.port } : {}),
              })),
            },
          }
        : {}),
      lastVerifiedCommit: o.lastVerifiedCommit,
    });
  }
  return out;
}
