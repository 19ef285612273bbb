import { sleep } from './netns';
import type { Twin } from './twin';

/**
 * A client at the public gateway asking the external VIP for a service, over and over, while a
 * fault hits the container holding the VIP: how long until it gets a good answer again, and how
 * many requests got none. Bounded: the client runs for `durationMs` at most, one request every
 * `intervalMs`, each with its own `requestTimeoutMs`; all its traffic stays in the twin's
 * gateway namespace and the namespaces behind its bridges.
 */
export interface FailoverMeasurement {
  /** From the fault to the first good answer to a request sent after it (0: never interrupted). */
  readonly timeToFirstGoodAnswerMs: number;
  /** Requests sent after the fault that got no good answer. */
  readonly requestsLost: number;
  /** Requests sent after the fault. */
  readonly requestsAfterFault: number;
  /** Good answers after the fault. */
  readonly goodAfterFault: number;
  /** The external VIP's holder before, and the member that holds it after. */
  readonly holderBefore: string;
  readonly holderAfter: string | undefined;
}

export interface FailoverOptions {
  /** The frontend asked: `https://<external VIP>:<port>/` (default 5000: keystone's). */
  readonly port?: number;
  readonly durationMs?: number;
  readonly faultAtMs?: number;
  readonly intervalMs?: number;
  readonly requestTimeoutMs?: number;
}

const CLIENT_PY = `import http.client, json, ssl, sys, time
host, port, duration, interval, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
end = time.time() + duration
while time.time() < end:
    t = time.time()
    ok = False
    try:
        c = http.client.HTTPSConnection(host, port, timeout=timeout, context=ctx)
        c.request('GET', '/')
        ok = c.getresponse().status == 200
        c.close()
    except Exception:
        ok = False
    print(json.dumps({'t': int(t * 1000), 'ok': ok}), flush=True)
    left = interval - (time.time() - t)
    if left > 0:
        time.sleep(left)
`;

export async function measureFailover(
  twin: Twin,
  fault: (holder: string) => Promise<void> | void,
  opts: FailoverOptions = {},
): Promise<FailoverMeasurement> {
  const port = opts.port ?? 5000;
  const durationMs = opts.durationMs ?? 15_000;
  const faultAtMs = opts.faultAtMs ?? 2_000;
  const holderBefore = (await twin.vipHolders()).external[0];
  if (holderBefore === undefined) throw new Error('no container holds the external VIP before the fault');
  const client = twin.inGateway(
    [
      'python3',
      '-c',
      CLIENT_PY,
      twin.addresses.externalVip,
      String(port),
      String(durationMs / 1000),
      String((opts.intervalMs ?? 50) / 1000),
      String((opts.requestTimeoutMs ?? 500) / 1000),
    ],
    { timeoutMs: durationMs + 30_000 },
  );
  await sleep(faultAtMs);
  const faultAt = Date.now();
  await fault(holderBefore);
  const out = await client;
  const results = out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { t: number; ok: boolean });
  const after = results.filter((r) => r.t >= faultAt);
  const firstFailure = after.findIndex((r) => !r.ok);
  const firstGood = firstFailure < 0 ? -1 : after.findIndex((r, i) => i > firstFailure && r.ok);
  const holders = await twin.vipHolders();
  return {
    timeToFirstGoodAnswerMs:
      firstFailure < 0 ? 0 : firstGood < 0 ? Number.POSITIVE_INFINITY : after[firstGood]!.t - faultAt,
    requestsLost: after.filter((r) => !r.ok).length,
    requestsAfterFault: after.length,
    goodAfterFault: after.filter((r) => r.ok).length,
    holderBefore,
    // A lost host may still list the VIP (nobody can tell it otherwise): the holder after is the
    // one other member that took it.
    holderAfter:
      ((o) => (o.length === 1 ? o[0] : undefined))(holders.external.filter((h) => h !== holderBefore)) ??
      (holders.external.length === 1 ? holders.external[0] : undefined),
  };
}
