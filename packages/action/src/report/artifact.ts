import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';

/**
 * The hand-over from validate (read-only token, runs PR code) to the comment job (write token,
 * never runs PR code): a folder uploaded as a workflow artifact. Everything in it is untrusted
 * when read back: it was produced by a job that executed the PR's definitions.
 */
export const MARKDOWN_FILE = 'report.md';
export const META_FILE = 'meta.json';
/** `reportToJson` of the plan, for machines (not read by the comment job). */
export const DATA_FILE = 'report.json';

/** Larger files are refused: the comment job must not be made to read arbitrary amounts. */
const MAX_FILE_BYTES = 1_000_000;

const ReportMeta = z.object({
  schemaVersion: z.literal(1),
  pullRequest: z.number().int().positive(),
  /** The PR head commit validate ran for; the comment job checks it against the workflow run. */
  headSha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  ok: z.boolean(),
  affected: z.array(z.string().max(100)).max(10_000),
});
export type ReportMeta = z.infer<typeof ReportMeta>;

export async function writeReportArtifact(
  dir: string,
  files: { readonly markdown: string; readonly meta?: ReportMeta; readonly data: unknown },
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, MARKDOWN_FILE), files.markdown);
  await fs.writeFile(path.join(dir, DATA_FILE), `${JSON.stringify(files.data, null, 2)}\n`);
  if (files.meta) await fs.writeFile(path.join(dir, META_FILE), `${JSON.stringify(files.meta, null, 2)}\n`);
}

export async function readReportArtifact(dir: string): Promise<{ markdown: string; meta: ReportMeta }> {
  const read = async (name: string): Promise<string> => {
    const file = path.join(dir, name);
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) throw new Error(`The report artifact has no ${name} (looked in ${dir}).`);
    if (stat.size > MAX_FILE_BYTES)
      throw new Error(`The report artifact's ${name} is over ${MAX_FILE_BYTES} bytes.`);
    return fs.readFile(file, 'utf8');
  };
  let json: unknown;
  try {
    json = JSON.parse(await read(META_FILE));
  } catch (err) {
    if (err instanceof SyntaxError) throw new Error(`The report artifact's ${META_FILE} is not JSON.`);
    throw err;
  }
  const meta = ReportMeta.safeParse(json);
  if (!meta.success)
    throw new Error(`The report artifact's ${META_FILE} is malformed: ${meta.error.issues[0]?.message}.`);
  return { markdown: await read(MARKDOWN_FILE), meta: meta.data };
}
