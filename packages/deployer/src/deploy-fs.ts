import { randomBytes } from 'node:crypto';
import { promises as fsp, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';

/**
 * The filesystem as the deployer sees it: every call that changes the config dir goes through
 * here, so tests can inject faults (ENOSPC on the Nth write, EROFS everywhere, a SIGKILL at the
 * Nth change) without root-only tricks (tests run as root, where chmod does not block writes).
 */
export interface DeployFs {
  readFile(file: string): Promise<Buffer>;
  /** Create or truncate `file`, write `data`, fsync it and close it. */
  writeFileDurable(file: string, data: string | Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(dir: string, mode?: number): Promise<void>;
  rmdir(dir: string): Promise<void>;
  rmTree(dir: string): Promise<void>;
  /** fsync a directory so the renames and unlinks in it survive a crash. */
  fsyncDir(dir: string): Promise<void>;
  readdir(dir: string): Promise<Dirent[]>;
  lstat(file: string): Promise<Stats>;
  stat(file: string): Promise<Stats>;
  realpath(file: string): Promise<string>;
}

/** The real thing. */
export const nodeDeployFs: DeployFs = {
  readFile: (file) => fsp.readFile(file),
  async writeFileDurable(file, data, mode) {
    const handle = await fsp.open(file, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open() applies the umask; the mode must be exact (an owned file keeps its previous mode).
    await fsp.chmod(file, mode);
  },
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  unlink: (file) => fsp.unlink(file),
  async mkdir(dir, mode = 0o755) {
    await fsp.mkdir(dir, { mode });
  },
  rmdir: (dir) => fsp.rmdir(dir),
  rmTree: (dir) => fsp.rm(dir, { recursive: true, force: true }),
  async fsyncDir(dir) {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  readdir: (dir) => fsp.readdir(dir, { withFileTypes: true }),
  lstat: (file) => fsp.lstat(file),
  stat: (file) => fsp.stat(file),
  realpath: (file) => fsp.realpath(file),
};

/**
 * Temp files start with a dot and end in `.osa-gitops-tmp`, so nothing OSA reads can pick up a
 * half-written one: the wrapper globs `user_*.yml`, conf.d/env.d load `*.yml`/`*.yaml` only.
 */
const TEMP_SUFFIX = '.osa-gitops-tmp';

export function tempPathFor(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

/**
 * Replace `file` so that a crash at any moment leaves either the old or the new bytes: write a
 * temp file in the same directory, fsync it, rename it over the target (atomic on POSIX), fsync
 * the directory.
 */
export async function atomicWrite(
  fs: DeployFs,
  file: string,
  data: string | Buffer,
  mode = 0o644,
  /** Run right before the temp-file write and again before the rename (safe-dirs.ts). */
  recheck?: () => Promise<void>,
): Promise<void> {
  const temp = tempPathFor(file);
  try {
    await recheck?.();
    await fs.writeFileDurable(temp, data, mode);
    await recheck?.();
    await fs.rename(temp, file);
  } catch (err) {
    await fs.unlink(temp).catch(() => undefined); // best effort: the temp name is inert anyway
    throw err;
  }
  await fs.fsyncDir(path.dirname(file));
}

/** `ENOENT` → undefined; every other error is real. */
export async function readIfExists(fs: DeployFs, file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

export async function lstatIfExists(fs: DeployFs, file: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(file);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}
