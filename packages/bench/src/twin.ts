import { requirementStatus } from '@osa-gitops/test-support/requirement';
import { loadRepoSite, measureFailover, twinRequirements, upstreamFromEnv, Twin } from '@osa-gitops/twin';

/** One failover scenario on the site twin, over several runs. */
export interface TwinRow {
  readonly id: string;
  readonly what: string;
  /** Time from the fault to the client's first good answer through the VIP, per run. */
  readonly ms: readonly number[];
  /** Requests the client sent after the fault that got no good answer, per run. */
  readonly lost: readonly number[];
  /** keepalived's timers bound it (advert_int 1 s): about one advert on a stop, 3 × advert + skew on a loss. */
  readonly targetMs: number;
  readonly target: string;
}

/**
 * The twin's failover rows of `npm run bench`: guide-lab's twin (the real keepalived and HAProxy
 * configured by the real roles), a client at the public gateway asking keystone's frontend on the
 * external VIP every 50 ms; the MASTER's keepalived stops, or the MASTER's container loses its
 * links; each `runs` times, the MASTER restored (and back in charge) between runs. Returns why
 * not when the twin cannot run here (no root, no upstream roles, …).
 */
export async function twinRows(runs: number): Promise<TwinRow[] | string> {
  const status = requirementStatus(twinRequirements(), false);
  if (status.action !== 'run') return status.reason;
  const { environment, tree } = await loadRepoSite('guide-lab');
  const twin = await Twin.start({ environment, tree, sources: upstreamFromEnv() });
  try {
    const stop = { ms: [] as number[], lost: [] as number[] };
    const loss = { ms: [] as number[], lost: [] as number[] };
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`bench: twin failover, keepalived stopped (${i + 1}/${runs})…\n`);
      const a = await measureFailover(twin, (h) => twin.stopKeepalived(h), { durationMs: 10_000 });
      stop.ms.push(a.timeToFirstGoodAnswerMs);
      stop.lost.push(a.requestsLost);
      twin.startKeepalived(a.holderBefore);
      await settle(twin, a.holderBefore);
      process.stderr.write(`bench: twin failover, links down (${i + 1}/${runs})…\n`);
      const b = await measureFailover(twin, (h) => twin.linksDown(h), { durationMs: 12_000 });
      loss.ms.push(b.timeToFirstGoodAnswerMs);
      loss.lost.push(b.requestsLost);
      twin.linksUp(b.holderBefore);
      await settle(twin, b.holderBefore);
    }
    return [
      {
        id: 'twin-failover-stop',
        what: "twin: the MASTER's keepalived stops; time to the first good answer through the external VIP",
        ...stop,
        targetMs: 2_000,
        target: '< 2 s (about one advert interval)',
      },
      {
        id: 'twin-failover-links',
        what: "twin: the MASTER's container loses its links; time to the first good answer through the external VIP",
        ...loss,
        targetMs: 5_000,
        target: '< 5 s (3 × advert interval + skew)',
      },
    ];
  } finally {
    twin.destroy();
  }
}

/** Until the restored MASTER holds the VIPs again (preemption), at most 60 s. */
async function settle(twin: Twin, holder: string): Promise<void> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const h = await twin.vipHolders();
    if (h.external.length === 1 && h.external[0] === holder && h.internal.length === 1) {
      await new Promise((r) => setTimeout(r, 2_000));
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the twin's VIPs did not come back to ${holder} within 60 s`);
}
