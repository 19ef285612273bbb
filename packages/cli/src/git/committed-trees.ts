import type { Git } from '@osa-gitops/git';
import { parseRenderedFilePath, renderedTreeDir, toRenderedTree, type RenderedTree } from '@osa-gitops/core';

/** Pathspecs and blobs per git command: keeps the command line far below ARG_MAX. */
const MAX_PATHSPECS = 500;
const SHOW_BATCH = 400;

/**
 * What the CLI reads from git history: the committed rendered trees and definitions at a ref, and
 * which sites changed between two refs. Trees are read straight from the object database
 * (`ls-tree` + `show ref:path`), so comparing two refs never touches the working tree. Every
 * command goes through the shared `Git` of @osa-gitops/git.
 */
export class CommittedTrees {
  constructor(private readonly git: Git) {}

  /**
   * The committed rendered trees at `ref`, per site. With `sites`, only those are read (a site
   * absent at `ref` is simply absent from the map).
   */
  async readTreesAtRef(ref: string, sites?: readonly string[]): Promise<Map<string, RenderedTree>> {
    const commit = await this.git.resolveCommit(ref);
    if (sites?.length === 0) return new Map();
    // One pathspec per site, unless that many would crowd the command line: then list all, filter.
    const wanted = sites ? new Set(sites) : undefined;
    const specs =
      sites && sites.length <= MAX_PATHSPECS ? sites.map((s) => `${renderedTreeDir(s)}/`) : ['environments/'];
    const blobs: { site: string; rel: string; path: string; size: number }[] = [];
    for (const b of await this.listBlobs(commit, specs)) {
      const t = parseRenderedFilePath(b.path);
      if (t && (!wanted || wanted.has(t.site))) blobs.push({ site: t.site, rel: t.path, ...b });
    }
    const texts = await this.readBlobs(commit, blobs);
    const trees = new Map<string, RenderedTree>();
    for (const site of [...new Set(blobs.map((b) => b.site))].sort()) {
      const files = blobs.filter((b) => b.site === site).map((b) => [b.rel, texts.get(b.path)!] as const);
      trees.set(site, toRenderedTree(files));
    }
    return trees;
  }

  /** The blobs under `specs` at `commit`, with their sizes (`-l`, how `showBlobs` splits its output). */
  private async listBlobs(
    commit: string,
    specs: readonly string[],
  ): Promise<{ path: string; size: number }[]> {
    const listing = await this.git.run(['ls-tree', '-r', '-l', '-z', commit, '--', ...specs]);
    const blobs: { path: string; size: number }[] = [];
    for (const entry of listing.split('\0').filter(Boolean)) {
      const m = /^\d+ blob [0-9a-f]+ +(\d+)\t(.+)$/s.exec(entry);
      if (m) blobs.push({ path: m[2]!, size: Number(m[1]) });
    }
    return blobs;
  }

  /** path → text of `blobs` at `commit`, read SHOW_BATCH at a time. */
  private async readBlobs(
    commit: string,
    blobs: readonly { path: string; size: number }[],
  ): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    for (let i = 0; i < blobs.length; i += SHOW_BATCH) {
      const batch = blobs.slice(i, i + SHOW_BATCH);
      const parts = await this.showBlobs(commit, batch);
      batch.forEach((b, j) => texts.set(b.path, parts[j]!));
    }
    return texts;
  }

  /**
   * The contents of many blobs from one `git show commit:a commit:b …`: git prints them back to
   * back, so the output is cut at the sizes ls-tree reported. Should the lengths ever disagree,
   * each blob is read on its own instead.
   */
  private async showBlobs(
    commit: string,
    blobs: readonly { path: string; size: number }[],
  ): Promise<string[]> {
    const buf = await this.git.showBuffer(blobs.map((b) => `${commit}:${b.path}`));
    const total = blobs.reduce((n, b) => n + b.size, 0);
    if (buf.length === total) {
      let at = 0;
      return blobs.map((b) => buf.subarray(at, (at += b.size)).toString('utf8'));
    }
    return Promise.all(blobs.map((b) => this.git.run(['show', `${commit}:${b.path}`])));
  }

  /**
   * The definition sources under `environments/` at `ref` (every file but the rendered trees),
   * path → text: what a definition may import, as it was committed. `plan --head <ref>` reads
   * the sites' deploy settings from them.
   */
  async readDefinitionSourcesAtRef(ref: string): Promise<Map<string, string>> {
    const commit = await this.git.resolveCommit(ref);
    const blobs = (await this.listBlobs(commit, ['environments/'])).filter(
      (b) => !parseRenderedFilePath(b.path),
    );
    return this.readBlobs(commit, blobs);
  }

  /**
   * Which of `sites` have a definition (`environments/<site>/environment.ts`) at `ref`, sorted.
   * The plan uses it to skip a rendered tree left without its definition.
   */
  async definedSitesAtRef(ref: string, sites: readonly string[]): Promise<string[]> {
    const commit = await this.git.resolveCommit(ref);
    if (sites.length === 0) return [];
    const specs =
      sites.length <= MAX_PATHSPECS
        ? sites.map((s) => `environments/${s}/environment.ts`)
        : ['environments/'];
    const listing = await this.git.run(['ls-tree', '-r', '--name-only', '-z', commit, '--', ...specs]);
    const found = new Set<string>();
    for (const p of listing.split('\0')) {
      const m = /^environments\/([^/]+)\/environment\.ts$/.exec(p);
      if (m) found.add(m[1]!);
    }
    return sites.filter((s) => found.has(s)).sort();
  }

  /**
   * Paths under `pathspecs` that differ between `base` and `head`; with no `head`, between `base`
   * and the working tree, untracked files under `environments/` included (a new site's files).
   */
  async changedPaths(
    base: string,
    head: string | undefined,
    pathspecs: readonly string[],
  ): Promise<string[]> {
    const from = await this.git.resolveCommit(base);
    const range = head === undefined ? [from] : [from, await this.git.resolveCommit(head)];
    const changed = await this.git.run([
      'diff',
      '--name-only',
      '-z',
      '--no-renames',
      ...range,
      '--',
      ...pathspecs,
    ]);
    const paths = changed.split('\0').filter(Boolean);
    if (head === undefined) {
      const untracked = await this.git.run([
        'ls-files',
        '-z',
        '--others',
        '--exclude-standard',
        '--',
        'environments/',
      ]);
      paths.push(...untracked.split('\0').filter(Boolean));
    }
    return paths;
  }

  /**
   * Sites whose committed rendered tree differs between `base` and `head`; with no `head`, between
   * `base` and the working tree (untracked rendered files included). Sorted.
   */
  async changedSites(base: string, head?: string): Promise<string[]> {
    const paths = await this.changedPaths(base, head, ['environments/']);
    const sites = new Set<string>();
    for (const p of paths) {
      const t = parseRenderedFilePath(p);
      if (t) sites.add(t.site);
    }
    return [...sites].sort();
  }
}
