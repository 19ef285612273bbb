import { EXIT, type CliIo } from './io';
import { UnknownRefError } from '@osa-gitops/git/errors';
import { SymlinkRefusedError } from '@osa-gitops/loader/errors';
import { UsageError } from './usage-error';
import cliPackage from '../package.json';
type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Each command's module is loaded only when it runs (esbuild turns these `import()`s into lazy
 * initialisers in the CLI bundle), so `validate` never loads simple-git or jsdiff, and the
 * start-up of every command pays only for what it uses.
 */
export const COMMANDS: Readonly<Record<string, { load: () => Promise<Command>; summary: string }>> = {
  validate: {
    load: async () => (await import('./commands/validate.js')).runValidate,
    summary: 'validate site definitions and fleet rules',
  },
  render: {
    load: async () => (await import('./commands/render.js')).runRender,
    summary: 'write rendered trees into environments/<site>/openstack_deploy/',
  },
  check: {
    load: async () => (await import('./commands/check.js')).runCheck,
    summary: 'fail when committed trees differ from a fresh render (prints diffs)',
  },
  diff: {
    load: async () => (await import('./commands/diff.js')).runDiff,
    summary: 'network changes and rendered diff between two refs',
  },
  explain: {
    load: async () => (await import('./commands/explain.js')).runExplain,
    summary: 'per host: NIC → bond → VLAN → bridge → container interface → network/VIP',
  },
  plan: {
    load: async () => (await import('./commands/plan.js')).runPlan,
    summary: 'which sites deploy after merge, why, and the command',
  },
  deploy: {
    load: async () => (await import('./commands/deploy.js')).runDeploy,
    summary: "sync a site's tree into its OSA config dir and run the playbook",
  },
  verify: {
    load: async () => (await import('./commands/verify.js')).runVerify,
    summary: "check what is live on a site's haproxy containers against its definition",
  },
  preview: {
    load: async () => (await import('./commands/preview.js')).runPreview,
    summary: "what OSA's inventory generator would allocate (on the deploy host)",
  },
  drift: {
    load: async () => (await import('./commands/drift.js')).runDrift,
    summary: 'how the live OSA config dir differs from what was deployed',
  },
  ci: {
    load: async () => (await import('./commands/ci.js')).runCi,
    summary: 'validate + render + plan (what `npm start` runs)',
  },
  import: {
    load: async () => (await import('./commands/import.js')).runImport,
    summary: 'adopt an existing OSA config dir as environments/<site>/environment.ts',
  },
};

export const MAIN_HELP = `Usage: osa-gitops <command> [options]

Typed OpenStack-Ansible HAProxy/keepalived-in-LXC site definitions, compiled into committed
override trees, reviewed as network changes and deployed per site.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Options:
  -h, --help     show this help
  -V, --version  print the version

Run "osa-gitops <command> --help" for a command's options. Every command reads the workspace at
the current directory and accepts --json for machine-readable output (docs/cli.md).

Exit codes:
  0  success
  1  invalid definitions, stale committed trees, or a failed operation
  2  usage error (unknown command or option, missing value, unknown git ref)
  deploy returns the playbook's own exit code; verify returns 3 when it has no verdict;
  drift returns 1 for drift found, 3 when it could not check.
`;

/** The version of this osa-gitops (packages/cli/package.json), bundled into the CLI's build. */
export const VERSION: string = cliPackage.version;

/**
 * What `osa-gitops <argument>` prints for the lone arguments that read nothing, and its exit code.
 * The launcher (bin/osa-gitops.cjs) keeps this table beside the cached build it came from and
 * answers these from it without loading the build (`--help` cost ~1.4× Node's own start, most of
 * it running the build's module code).
 */
export function staticAnswers(): Readonly<Record<string, { stdout: string; exitCode: number }>> {
  const help = { stdout: MAIN_HELP, exitCode: EXIT.ok };
  const version = { stdout: `osa-gitops ${VERSION}\n`, exitCode: EXIT.ok };
  return { '--help': help, '-h': help, help, '--version': version, '-V': version };
}

/**
 * The CLI: dispatch to one command and turn expected failures into a message and an exit code.
 * Only an unexpected error (a bug) prints its stack, so it can be reported.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stdout(MAIN_HELP);
    return EXIT.usage;
  }
  const answers = staticAnswers();
  if (Object.hasOwn(answers, name)) {
    io.stdout(answers[name]!.stdout);
    return answers[name]!.exitCode;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`osa-gitops: unknown command "${name}"\n\n${MAIN_HELP}`);
    return EXIT.usage;
  }
  try {
    return await (
      await command.load()
    )(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(
        `osa-gitops ${err.command ?? name}: ${err.message}\nRun "osa-gitops ${name} --help" for usage.\n`,
      );
      return EXIT.usage;
    }
    if (err instanceof UnknownRefError) {
      io.stderr(`osa-gitops ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof SymlinkRefusedError) {
      io.stderr(`osa-gitops ${name}: ${err.message}\n`);
      return EXIT.failed;
    }
    io.stderr(
      `osa-gitops ${name}: unexpected error, please report it:\n${(err as Error)?.stack ?? String(err)}\n`,
    );
    return EXIT.failed;
  }
}

/** The real process as a CliIo (the bin's only job besides running TypeScript). */
export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stdout: writerTo(process.stdout),
    stderr: writerTo(process.stderr),
  };
}

/**
 * A reader that went away (`osa-gitops check | head -1`) is not an error of ours: the stream's
 * EPIPE is swallowed and later output dropped, quietly. The command itself runs to its end and
 * keeps its exit code, so a deploy is never cut short by a closed pipe.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** Entry used by the bin: run, flush, set the exit code (never `process.exit` with output pending). */
export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
