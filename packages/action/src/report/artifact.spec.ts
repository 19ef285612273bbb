import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { META_FILE, MARKDOWN_FILE, readReportArtifact, writeReportArtifact } from './artifact.js';

// docs/SECURITY.md, "Who runs what on GitHub": the comment job reads the report artifact, written
// by a job that ran the PR's code, as untrusted data: meta.json parsed with zod, files over 1 MB
// refused, nothing read through a link (issue 26, item 6: each claim pinned by a test).
describe('readReportArtifact', () => {
  let dir: string;
  const meta = {
    schemaVersion: 1 as const,
    pullRequest: 7,
    headSha: 'a'.repeat(40),
    ok: true,
    affected: ['lab'],
  };
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'osa-artifact-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads a well-formed artifact', async () => {
    await writeReportArtifact(dir, { markdown: '# report\n', meta, data: {} });
    expect(await readReportArtifact(dir)).toEqual({ markdown: '# report\n', meta });
  });

  it('refuses a file over 1 MB without reading it whole', async () => {
    await writeReportArtifact(dir, { markdown: 'x'.repeat(1_000_001), meta, data: {} });
    await expect(readReportArtifact(dir)).rejects.toThrow(
      `The report artifact's ${MARKDOWN_FILE} is over 1000000 bytes.`,
    );
    await fs.writeFile(path.join(dir, META_FILE), `${JSON.stringify(meta)}${' '.repeat(1_000_000)}`);
    await expect(readReportArtifact(dir)).rejects.toThrow(
      `The report artifact's ${META_FILE} is over 1000000 bytes.`,
    );
  });

  it('refuses a meta.json zod does not accept (a PR number that is no number, a short commit, extra fields typed wrong)', async () => {
    for (const bad of [
      { ...meta, pullRequest: '7; rm -rf /' },
      { ...meta, headSha: 'abc' },
      { ...meta, schemaVersion: 2 },
      { ...meta, affected: 'lab' },
    ]) {
      await writeReportArtifact(dir, { markdown: '# report\n', meta: bad as never, data: {} });
      await expect(readReportArtifact(dir)).rejects.toThrow(/meta\.json is malformed/);
    }
    await fs.writeFile(path.join(dir, META_FILE), '{ not json');
    await expect(readReportArtifact(dir)).rejects.toThrow(/meta\.json is not JSON/);
  });

  it('reads nothing through a link (a report.md linked to a file outside)', async () => {
    await writeReportArtifact(dir, { markdown: '# report\n', meta, data: {} });
    const secret = path.join(dir, '..', `${path.basename(dir)}-secret`);
    await fs.writeFile(secret, 'token=ghs_secret\n');
    try {
      await fs.rm(path.join(dir, MARKDOWN_FILE));
      await fs.symlink(secret, path.join(dir, MARKDOWN_FILE));
      await expect(readReportArtifact(dir)).rejects.toThrow(`The report artifact has no ${MARKDOWN_FILE}`);
    } finally {
      await fs.rm(secret, { force: true });
    }
  });
});
