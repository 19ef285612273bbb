import { ENVIRONMENTS_DIR, RENDERED_DIR_NAME, SITE_NAME, SITE_NAME_MAX } from '@osa-gitops/core';
import { z } from 'zod';

/**
 * The hand-over from the render job (runs the pushed branch's code, read-only token, no secrets)
 * to the publish job (App token, never runs branch code): a folder uploaded as a workflow
 * artifact.
 *
 *     meta.json                                     source branch, source commit, sites, files, report
 *     trees/environments/<site>/openstack_deploy/…  the rendered files, workspace-relative
 *
 * Everything in it is untrusted when publish reads it back: whoever pushed the branch controls
 * the render job, so the artifact can hold anything they like.
 */
export const RENDER_META_FILE = 'meta.json';
export const RENDER_TREES_DIR = 'trees';

/** Caps that keep a hostile artifact from making publish read, hash or push arbitrary amounts. */
export const RENDER_LIMITS = {
  files: 20_000,
  fileBytes: 2_000_000,
  totalBytes: 100_000_000,
  sites: 1_000,
  pathChars: 400,
  metaBytes: 4_000_000,
  reportChars: 1_000_000,
} as const;

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a full commit id');

export const RenderMeta = z.object({
  schemaVersion: z.literal(1),
  sourceBranch: z.string().min(1).max(255),
  /** The commit the render job checked out; publish commits the trees on top of it. */
  sourceSha: sha,
  /** Sites whose tree folder the artifact replaces, sorted. Other sites are left as committed. */
  sites: z.array(z.string()).max(RENDER_LIMITS.sites),
  /** Every file under `trees/`, workspace-relative, sorted. Must equal what is on disk. */
  files: z.array(z.string()).max(RENDER_LIMITS.files),
  /** The PR body the render job composed (its own diff report); capped again by publish. */
  report: z.string().max(RENDER_LIMITS.reportChars),
});
export type RenderMeta = z.infer<typeof RenderMeta>;

/** One path segment of a rendered file: plain characters, never `.`/`..`, never `.git`. */
const SEGMENT = /^[A-Za-z0-9._@+=,-]+$/;

/**
 * Why `rel` may not be a file of the artifact, or undefined when it may: exactly
 * `environments/<site>/openstack_deploy/<relative path>` with a valid site name and plain
 * segments. Checked on the manifest (so `../x` or `/etc/x` are named as such) and again on what
 * is found on disk.
 */
export function unsafeTreePath(rel: string): string | undefined {
  if (rel.length === 0 || rel.length > RENDER_LIMITS.pathChars) return 'has an invalid length';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'is absolute';
  if (rel.includes('\\')) return 'contains a backslash';
  const parts = rel.split('/');
  if (parts.some((p) => p === '..')) return 'contains ".."';
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or "." segment';
  const [env, site, deploy, ...rest] = parts;
  if (env !== ENVIRONMENTS_DIR || deploy !== RENDERED_DIR_NAME || rest.length === 0) {
    return 'is outside environments/<site>/openstack_deploy/';
  }
  if (!isSiteName(site!)) return `names an invalid site ${JSON.stringify(site)}`;
  const bad = rest.find((p) => !SEGMENT.test(p) || p.toLowerCase() === '.git');
  if (bad !== undefined) return `has an unsafe segment ${JSON.stringify(bad)}`;
  return undefined;
}

export function isSiteName(s: string): boolean {
  return SITE_NAME.test(s) && s.length <= SITE_NAME_MAX;
}

/** `environments/<site>/openstack_deploy`, the folder a site's rendered tree lives in. */
export { renderedTreeDir as siteTreeFolder } from '@osa-gitops/core';
