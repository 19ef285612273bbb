import type { DeployStage, StageName } from '@osa-gitops/report';
import { INVENTORY_FILE } from '../inventory-fingerprint';
import type { StageGate } from './stage-gate';

export interface WaitingInput {
  readonly label: string;
  readonly gate: Extract<StageGate, { action: 'wait' }>;
  readonly stage: DeployStage;
  readonly site: string;
  readonly configDir: string;
  readonly osaDir: string;
  /** The options of this deploy a resumed one must repeat (`--config-dir`, `--osa-dir`…). */
  readonly resumeArgs: readonly string[];
  /** Stages this run completed before it stopped. */
  readonly ran: readonly StageName[];
  /** What the resumed deploy runs after this stage. */
  readonly after: readonly StageName[];
}

/** Shell quoting for the commands a person copies (paths with spaces, JSON). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * What a deploy that stops before a stage prints: why, what ran, the exact way to do the stage
 * by hand, and the exact command to resume, with the same directories and wrapper as this run.
 */
export function waitingMessage(w: WaitingInput): string {
  const deploy = ['osa-gitops', 'deploy', w.site, ...w.resumeArgs].map(shellQuote).join(' ');
  const lines = [
    `${w.label}: waiting for a person (${w.gate.why}). The files are synced; ${
      w.ran.length > 0 ? `stages ${w.ran.join(', ')} ran` : 'nothing else ran'
    }.`,
  ];
  if (w.stage.name === 'metal-cutover') {
    const hosts = w.stage.hosts ?? [];
    lines.push(
      `Moving off metal HAProxy: ${w.stage.why}.`,
      `By hand: on each of ${hosts.join(', ')} stop keepalived first, then haproxy:`,
      '  systemctl disable --now keepalived && systemctl disable --now haproxy',
      `then on this host take them out of OSA's inventory (they keep their other groups):`,
      `  cd ${shellQuote(w.osaDir)} && scripts/inventory-manage.py -f ${shellQuote(`${w.configDir}/${INVENTORY_FILE}`)} ${hosts
        .map((h) => `-r ${shellQuote(h)}`)
        .join(' ')}`,
    );
  } else {
    lines.push(
      'Review the host_vars change, then run on this host:',
      `  cd ${shellQuote(w.osaDir)} && OSA_CONFIG_DIR=${shellQuote(w.configDir)} ${w.stage.command}`,
    );
  }
  lines.push(
    `and resume the deploy (it runs ${w.after.join(', ') || 'nothing more'}):`,
    `  ${deploy} ${w.gate.flag} done`,
  );
  if (w.gate.canApprove) lines.push(`(or let the deploy do it: ${deploy} ${w.gate.flag} approved)`);
  return lines.join('\n');
}
