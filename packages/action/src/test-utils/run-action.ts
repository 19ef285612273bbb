import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed bundle: the tests run exactly what `uses: ./packages/action` runs. */
export const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/index.js');

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_OUTPUT parsed (`name<<delimiter` blocks and `name=value` lines). */
  readonly outputs: Record<string, string>;
  /** GITHUB_STEP_SUMMARY as written. */
  readonly summary: string;
}

export interface RunActionOptions {
  /** Inputs by their action.yml name; become `INPUT_<NAME>` (upper-cased, dashes kept). */
  readonly inputs: Readonly<Record<string, string>>;
  /** GITHUB_* and other variables (the fixture's git isolation env goes here too). */
  readonly env: NodeJS.ProcessEnv;
  /** Written to a file that GITHUB_EVENT_PATH points at. */
  readonly event?: unknown;
  readonly cwd: string;
  /** Scratch dir for the event, output and summary files. */
  readonly tmp: string;
  readonly bundle?: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

let runs = 0;

/**
 * Run the bundled action as the runner does: a child `node dist/index.js` with INPUT_* and
 * GITHUB_* variables, and real files behind GITHUB_OUTPUT / GITHUB_STEP_SUMMARY. Spawned
 * asynchronously (never spawnSync: the fake GitHub server lives in this process and would be
 * blocked), with a timeout that kills the child rather than hanging the suite.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const id = ++runs;
  const outputFile = path.join(options.tmp, `output-${id}.txt`);
  const summaryFile = path.join(options.tmp, `summary-${id}.md`);
  const eventFile = path.join(options.tmp, `event-${id}.json`);
  await fs.writeFile(outputFile, '');
  await fs.writeFile(summaryFile, '');
  if (options.event !== undefined) await fs.writeFile(eventFile, JSON.stringify(options.event));
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.cwd,
    NO_COLOR: '1',
    ...(options.event !== undefined ? { GITHUB_EVENT_PATH: eventFile } : {}),
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const child = spawn(process.execPath, [options.bundle ?? BUNDLE], { cwd: options.cwd, env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `The action did not finish within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await fs.readFile(outputFile, 'utf8')),
    summary: await fs.readFile(summaryFile, 'utf8'),
  };
}

export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * stdout with the runner's `::add-mask::` commands removed. The runner consumes those lines (they
 * are how @actions/core registers a secret) and never shows them; everything else must not
 * contain the token.
 */
export function visibleLog(run: ActionRun): string {
  return `${run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')}\n${run.stderr}`;
}
