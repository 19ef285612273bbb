import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ansibleEnv,
  buildLab,
  labDefinition,
  labInventory,
  makeOsaDir,
  verifyPlaybookUnavailable,
  removeTempDirs,
  tempDir,
  type NetnsLab,
} from '@osa-gitops/deployer/testing';
import { stageRecordPath, verifiedRecordPath } from '@osa-gitops/deployer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { createWorkspace, fakeIo } from '../test-utils/workspace-fixture';

/**
 * `osa-gitops verify` end to end: a workspace holding the lab's site, the shipped playbook through
 * the stand-in wrapper and the real ansible-playbook, against network namespaces (see the
 * deployer's verify tests). Skips without root/ip/ping, like them.
 */
const unavailable = verifyPlaybookUnavailable();
if (unavailable) console.warn(`osa-gitops verify tests skipped: ${unavailable}`);

afterAll(removeTempDirs);

describe.skipIf(unavailable !== undefined)('osa-gitops verify', () => {
  let lab: NetnsLab;
  beforeAll(async () => {
    lab = await buildLab();
  }, 60_000);
  afterAll(() => lab?.destroy());

  it('osa-gitops verify: a table, exit 0, and the deployed commit recorded as verified; exit 3 without a wrapper', async () => {
    await using ws = await createWorkspace();
    const dir = path.join(ws.root, 'environments', 'guide-lab');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'environment.ts'),
      `import { defineEnvironment } from '@osa-gitops/core';\nexport default defineEnvironment(${JSON.stringify(labDefinition(), null, 2)});\n`,
    );
    expect(await main(['render'], fakeIo(ws.root))).toBe(0);
    await ws.commit('guide-lab');
    const osaDir = makeOsaDir({ hosts: labInventory(lab) });
    const configDir = tempDir('config');
    fs.mkdirSync(path.join(configDir, '.osa-gitops'));
    fs.writeFileSync(
      stageRecordPath(configDir),
      JSON.stringify({
        site: 'guide-lab',
        commit: 'abc1234',
        updatedAt: '',
        applied: { containers: true, haproxy: true },
        pending: [],
      }),
    );
    const args = ['verify', 'guide-lab', '--config-dir', configDir, '--osa-dir', osaDir];
    const io = fakeIo(ws.root, { env: ansibleEnv() });
    const code = await main([...args, '--osa-bin', path.join(osaDir, 'openstack-ansible'), '--json'], io);
    expect(code, io.stderrText()).toBe(0);
    expect(JSON.parse(io.stdoutText())).toMatchObject({
      site: 'guide-lab',
      ok: true,
      counts: { pass: 20, fail: 0 },
    });
    expect(JSON.parse(fs.readFileSync(verifiedRecordPath(configDir), 'utf8'))).toMatchObject({
      site: 'guide-lab',
      commit: 'abc1234',
    });

    const none = fakeIo(ws.root, { env: ansibleEnv() });
    expect(await main([...args, '--osa-bin', path.join(osaDir, 'missing')], none)).toBe(3);
    expect(none.stderrText()).toContain('is not an executable file');
  }, 240_000);
});
