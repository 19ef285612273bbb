/**
 * What the deployer says. Every line is timestamped (UTC, ISO 8601): deploy logs end up in CI
 * job logs and on the deploy host, and the order of "wrote", "ran" and "restored" matters when
 * someone reads them after an incident. Nothing here prints environment values.
 */
export interface DeployLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One line of the playbook's own output, passed through unchanged apart from the prefix. */
  playbookLine(stream: 'stdout' | 'stderr', line: string): void;
}

/** Where the log's lines go: the CLI passes its process IO, tests a memory buffer. */
export interface DeployLogSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function createDeployLog(io: DeployLogSink, now: () => Date = () => new Date()): DeployLog {
  const stamp = (): string => now().toISOString();
  const lines = (text: string): string[] => text.split('\n');
  return {
    info: (message) => lines(message).forEach((l) => io.stdout(`${stamp()} deploy: ${l}\n`)),
    warn: (message) => lines(message).forEach((l) => io.stderr(`${stamp()} deploy: warning: ${l}\n`)),
    error: (message) => lines(message).forEach((l) => io.stderr(`${stamp()} deploy: error: ${l}\n`)),
    playbookLine: (stream, line) =>
      stream === 'stdout' ? io.stdout(`${stamp()} | ${line}\n`) : io.stderr(`${stamp()} ! ${line}\n`),
  };
}
