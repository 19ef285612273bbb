import { describeRequiring } from '@osa-gitops/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadRepoSite, measureFailover, twinRequirements, upstreamFromEnv, Twin } from '../src';

/**
 * Failover on the guide-lab twin: the real keepalived moves the VIPs when the MASTER's keepalived
 * stops, and when the MASTER's container loses its links (a lost host: `kill -9` of keepalived's
 * main process is not one, its children exit and drop the VIP). A client at the public gateway
 * gets answers through the external VIP again. Timing is reported by `npm run bench` (twin rows),
 * never asserted here beyond "the client got answers again within the run".
 */
let twin: Twin;
afterAll(() => twin?.destroy());

describeRequiring(twinRequirements(), 'failover on the site twin (real keepalived and HAProxy)', () => {
  beforeAll(async () => {
    const { environment, tree } = await loadRepoSite('guide-lab');
    twin = await Twin.start({ environment, tree, sources: upstreamFromEnv() });
  }, 600_000);

  it("the MASTER's keepalived stops: the VIP moves, the client gets answers through it again", async () => {
    const m = await measureFailover(twin, (holder) => twin.stopKeepalived(holder));
    try {
      expect(m.holderAfter).toBeDefined();
      expect(m.holderAfter).not.toBe(m.holderBefore);
      expect(Number.isFinite(m.timeToFirstGoodAnswerMs)).toBe(true);
      expect(m.goodAfterFault).toBeGreaterThan(0);
    } finally {
      twin.startKeepalived(m.holderBefore);
      // Its priority is the highest: it takes the VIPs back (preemption).
      expect(await twin.waitForVips(60_000)).toBeDefined();
    }
  }, 300_000);

  it("the MASTER's container loses its links: the VIP moves, the client gets answers through it again", async () => {
    const before = (await twin.vipHolders()).external[0]!;
    const m = await measureFailover(twin, (holder) => twin.linksDown(holder));
    try {
      expect(m.holderBefore).toBe(before);
      // The lost container may still list the VIP (it cannot tell anyone); the others elect one.
      const others = (await twin.vipHolders()).external.filter((h) => h !== before);
      expect(others).toHaveLength(1);
      expect(Number.isFinite(m.timeToFirstGoodAnswerMs)).toBe(true);
      expect(m.goodAfterFault).toBeGreaterThan(0);
    } finally {
      twin.linksUp(before);
      expect(await twin.waitForVips(60_000)).toBeDefined();
    }
  }, 300_000);
});
