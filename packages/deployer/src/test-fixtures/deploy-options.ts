import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import type { DeploySiteOptions } from '../deploy-options';
import { memoryLog, SITE, STUB_OSA_BIN, tempDir } from './fixture';

export interface StubRun {
  readonly record: string;
  /** Lines the stub playbook appended. */
  lines(): string[];
}

export function stubRecord(): StubRun {
  const record = path.join(tempDir('record'), 'runs.txt');
  return {
    record,
    lines: () =>
      fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n').filter(Boolean) : [],
  };
}

/** deploySite options for the stub playbook; override anything per test. */
export function stubDeployOptions(
  configDir: string,
  osaDir: string,
  tree: RenderedTree,
  run: StubRun,
  over: Partial<DeploySiteOptions> & { stubRc?: number; waitFor?: string } = {},
): DeploySiteOptions & { log: ReturnType<typeof memoryLog> } {
  const { stubRc, waitFor, ...rest } = over;
  return {
    site: SITE,
    tree,
    configDir,
    osaDir,
    osaBin: STUB_OSA_BIN,
    extraArgs: [],
    python: '/usr/bin/python3',
    commit: 'c0ffee1',
    timeoutMs: 120_000,
    lockTimeoutMs: 60_000,
    keepBackups: 10,
    restoreOnFailure: true,
    dryRun: false,
    env: {
      PATH: process.env.PATH,
      OSA_STUB_RECORD: run.record,
      OSA_STUB_RC: String(stubRc ?? 0),
      ...(waitFor ? { OSA_STUB_WAIT_FOR: waitFor } : {}),
      OSA_TEST_SECRET_ENV: 'env-value-never-logged',
    },
    log: memoryLog(),
    killGraceMs: 2_000,
    lockPollMs: 50,
    ...rest,
  } as DeploySiteOptions & { log: ReturnType<typeof memoryLog> };
}
