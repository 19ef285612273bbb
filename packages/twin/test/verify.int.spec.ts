import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRequiring } from '@osa-gitops/test-support';
import { removeTempDirs } from '@osa-gitops/deployer/testing';
import type { RenderedTree, Environment } from '@osa-gitops/core';
import type { VerifyResultJson } from '@osa-gitops/render';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ipIn, waitFor, runIn } from '../src/netns';
import {
  loadRepoSite,
  runShippedVerify,
  twinRequirements,
  TWIN_COMMIT,
  upstreamFromEnv,
  Twin,
  type ShippedVerify,
} from '../src';
import { KEEPALIVED_STATE_PY, parseKeepalivedState } from '@osa-gitops/render';

/**
 * The shipped `osa-gitops verify` (packages/cli/bin/osa-gitops.cjs, the cached build) against the
 * guide-lab site's twin: the real keepalived and HAProxy, configured by the real roles from the
 * committed tree, reached by the real verify playbook through a stand-in openstack-ansible. It
 * passes on the healthy twin and fails, naming the instance, the VIP and the port, on each fault.
 */
const SITE = 'guide-lab';
let twin: Twin;
let tree: RenderedTree;
let environment: Environment;

afterAll(() => {
  twin?.destroy();
  removeTempDirs();
});

describeRequiring(
  twinRequirements(),
  'osa-gitops verify against the site twin (real keepalived and HAProxy)',
  () => {
    beforeAll(async () => {
      ({ environment, tree } = await loadRepoSite(SITE));
      twin = await Twin.start({ environment, tree, sources: upstreamFromEnv() });
    }, 600_000);

    const verify = async (): Promise<ShippedVerify & { json: VerifyResultJson }> => {
      const r = await runShippedVerify(twin, SITE, tree);
      if (!r.json) throw new Error(`verify printed no JSON (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
      return r as ShippedVerify & { json: VerifyResultJson };
    };
    const failures = (r: { json: VerifyResultJson }) =>
      r.json.checks
        .filter((c) => c.status === 'fail')
        .map((c) => ({ id: c.id, instance: c.instance, vip: c.vip, port: c.port, found: c.found }));
    const c = (i: number) => twin.containers[i]!;
    const ext = () => twin.addresses.externalVip;
    const int = () => twin.addresses.internalVip;

    /** Until every container's keepalived reports its instances and every track script GOOD. */
    const settled = async () => {
      const ok = await waitFor(
        async () => {
          for (const k of twin.containers) {
            const r = await runIn(k.ns, ['python3', '-c', KEEPALIVED_STATE_PY]);
            const s = parseKeepalivedState(r.rc, r.stdout);
            if (s.pids.length !== 1 || s.instances.length !== 2 || s.scripts.some((x) => x.status !== 'GOOD'))
              return undefined;
          }
          return (await twin.waitForVips(1_000)) ? true : undefined;
        },
        90_000,
        1_000,
      );
      if (!ok) throw new Error(`the twin did not settle:\n${twin.logs()}`);
    };

    it('passes on the healthy twin: every check, 0 failed, exit 0', async () => {
      const r = await verify();
      expect(failures(r)).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.json.counts.fail).toBe(0);
      expect(r.json.counts['not-applicable']).toBe(0);
      const ids = new Set(r.json.checks.map((x) => x.id));
      for (const id of [
        'keepalived-running',
        'track-scripts',
        'vrrp-state',
        'frontend-serves',
        'tls-certificate',
      ])
        expect(ids, id).toContain(id);
      // Every frontend the roles configured answers on the VIPs: keystone on both, galera internal only.
      const serves = r.json.checks.filter((x) => x.id === 'frontend-serves').map((x) => `${x.vip}:${x.port}`);
      expect(serves).toEqual(
        expect.arrayContaining([`${ext()}:5000`, `${int()}:5000`, `${int()}:3306`, `${ext()}:443`]),
      );
      expect(serves).not.toContain(`${ext()}:3306`);
      // A full pass records the deployed commit as the last verified one (the revert PR's target).
      const verified = JSON.parse(readFileSync(join(r.configDir, '.osa-gitops', 'verified.json'), 'utf8'));
      expect(verified).toMatchObject({ site: SITE, commit: TWIN_COMMIT });
    }, 300_000);

    it('passes as shipped without the build cache too (OSA_GITOPS_NO_CACHE=1: the CLI built in memory)', async () => {
      const r = await runShippedVerify(twin, SITE, tree, { OSA_GITOPS_NO_CACHE: '1' });
      expect(r.code, r.stderr.slice(-4000)).toBe(0);
      expect(r.json?.counts.fail).toBe(0);
    }, 300_000);

    it('a service frontend missing on the MASTER: its port fails on the VIP and in its listeners', async () => {
      const restore = await twin.removeService(c(0).name, 'keystone_service');
      try {
        const r = await verify();
        expect(r.code).toBe(1);
        const f = failures(r);
        expect(f).toContainEqual(
          expect.objectContaining({ id: 'frontend-serves', instance: c(0).name, vip: ext(), port: 5000 }),
        );
        expect(f).toContainEqual(
          expect.objectContaining({ id: 'haproxy-listens', instance: c(0).name, vip: ext(), port: 5000 }),
        );
        expect(f.every((x) => x.port === 5000)).toBe(true);
      } finally {
        await restore();
      }
    }, 300_000);

    it('keepalived stopped on the backups: each backup named, and the VRRP instances not whole', async () => {
      await twin.stopKeepalived(c(1).name);
      await twin.stopKeepalived(c(2).name);
      try {
        const r = await verify();
        expect(r.code).toBe(1);
        const f = failures(r);
        for (const b of [c(1), c(2)])
          expect(f).toContainEqual({
            id: 'keepalived-running',
            instance: b.name,
            vip: undefined,
            port: undefined,
            found: 'keepalived is not running',
          });
        const vrrp = f.filter((x) => x.id === 'vrrp-state');
        expect(vrrp.map((x) => x.vip).sort()).toEqual([int(), ext()].sort());
        for (const v of vrrp) expect(v.found).toContain(`not running: ${c(1).name}, ${c(2).name}`);
      } finally {
        twin.startKeepalived(c(1).name);
        twin.startKeepalived(c(2).name);
        await settled();
      }
    }, 300_000);

    it('a VIP held twice (a leftover metal keepalived still in the haproxy group) names both holders', async () => {
      const metal = twin.addMetalKeepalived('infra1');
      try {
        const held = await waitFor(
          async () => ((await twin.vipHolders()).external.length === 2 ? true : undefined),
          30_000,
        );
        expect(held).toBe(true);
        const r = await verify();
        expect(r.code).toBe(1);
        const f = failures(r);
        const vip = f.find((x) => x.id === 'vip-held');
        expect(vip).toMatchObject({ vip: ext() });
        expect(vip!.found).toContain(`${c(0).name} (eth20)`);
        expect(vip!.found).toContain('infra1 (metal)');
        expect(f.find((x) => x.id === 'vrrp-state' && x.vip === ext())?.found).toContain('infra1 (metal)');
      } finally {
        twin.removeMetal(metal.ns);
        await twin.waitForVips(30_000);
      }
    }, 300_000);

    it('a certificate without the VIP: each TLS bind of the external VIP fails, naming instance and port', async () => {
      const restore = await twin.certificatesWithout(c(0).name, ext());
      try {
        const r = await verify();
        expect(r.code).toBe(1);
        const f = failures(r);
        const tls = f.filter((x) => x.id === 'tls-certificate');
        expect(tls.length).toBeGreaterThan(0);
        for (const t of tls) {
          expect(t).toMatchObject({ instance: c(0).name, vip: ext() });
          expect(t.found).toContain(`missing IP ${ext()}`);
        }
        expect(tls.map((t) => t.port)).toEqual(expect.arrayContaining([443, 5000]));
        expect(f.filter((x) => x.id !== 'tls-certificate')).toEqual([]);
      } finally {
        await restore();
      }
    }, 300_000);

    it('a default route via eth0 next to the right one fails for that container', async () => {
      const args = ['route', 'add', 'default', 'via', '10.0.3.1', 'dev', 'eth0', 'metric', '10'];
      ipIn(c(1).ns, args);
      try {
        const r = await verify();
        expect(r.code).toBe(1);
        expect(failures(r)).toEqual([
          {
            id: 'default-route',
            instance: c(1).name,
            vip: undefined,
            port: undefined,
            found: `via ${twin.addresses.gateway} dev eth20; via 10.0.3.1 dev eth0 metric 10`,
          },
        ]);
      } finally {
        ipIn(c(1).ns, ['route', 'del', ...args.slice(2)]);
      }
    }, 300_000);

    it('is healthy again after every repair', async () => {
      await settled();
      const r = await verify();
      expect(failures(r)).toEqual([]);
      expect(r.code).toBe(0);
    }, 300_000);
  },
);
