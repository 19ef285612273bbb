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

  // The lab runs no keepalived or HAProxy (the site twin, packages/twin, does: its tests run the
  // shipped command through the whole of verify, and the verified record). Here only the
  // containers stage is recorded as applied: the haproxy checks are not applicable, so nothing
  // connects to a VIP from this process's namespace, and no commit is recorded as verified.
  it('osa-gitops verify: a table, exit 0, no verified commit while checks are not applicable; exit 3 without a wrapper', async () => {
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
        applied: { containers: true, haproxy: false },
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
      counts: { pass: 12, fail: 0, 'not-applicable': 12 },
    });
    expect(fs.existsSync(verifiedRecordPath(configDir))).toBe(false);

    const none = fakeIo(ws.root, { env: ansibleEnv() });
    expect(await main([...args, '--osa-bin', path.join(osaDir, 'missing')], none)).toBe(3);
    expect(none.stderrText()).toContain('is not an executable file');
  }, 240_000);
});
