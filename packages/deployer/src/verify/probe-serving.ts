import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ServingProbe } from '@osa-gitops/render';

/** One frontend to probe from the deploy host. */
export interface ServingTarget {
  readonly vip: string;
  readonly port: number;
  readonly tls: boolean;
  /** SNI for the handshake (the site's external name on the external VIP); none for an IP. */
  readonly servername?: string;
}

const CONCURRENCY = 8;

/**
 * From the deploy host (where osa-gitops runs): a TCP connection to each VIP:port, and on a TLS
 * bind a handshake whose certificate's subjectAltName is recorded (not verified against a CA: the
 * judge checks the SANs; the CA is the operator's). Each probe is bounded by `timeoutMs`; nothing
 * is sent beyond the handshake. Never throws: a failure is a probe with `connected: false` or an
 * `error`.
 */
export async function probeServing(
  targets: readonly ServingTarget[],
  timeoutMs = 5_000,
): Promise<ServingProbe[]> {
  const out: ServingProbe[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await probeOne(targets[i]!, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
  return out;
}

function probeOne(t: ServingTarget, timeoutMs: number): Promise<ServingProbe> {
  return new Promise((resolve) => {
    let connected = false;
    let done = false;
    const socket = net.connect({ host: t.vip, port: t.port });
    let secure: tls.TLSSocket | undefined;
    const finish = (p: Omit<ServingProbe, 'vip' | 'port' | 'connected'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      secure?.destroy();
      socket.destroy();
      resolve({ vip: t.vip, port: t.port, connected, ...p });
    };
    const timer = setTimeout(
      () =>
        finish({
          error: connected
            ? `no TLS handshake within ${timeoutMs} ms`
            : `no connection within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
    socket.once('error', (e: NodeJS.ErrnoException) => finish({ error: describe(e, connected) }));
    socket.once('connect', () => {
      connected = true;
      if (!t.tls) return finish({});
      secure = tls.connect({
        socket,
        rejectUnauthorized: false,
        ...(t.servername !== undefined ? { servername: t.servername } : {}),
      });
      secure.once('error', (e: NodeJS.ErrnoException) => finish({ error: describe(e, true) }));
      secure.once('secureConnect', () => {
        const cert = secure!.getPeerCertificate();
        finish({ tls: parseSubjectAltName(cert?.subjectaltname ?? '') });
      });
    });
  });
}

function describe(e: NodeJS.ErrnoException, connected: boolean): string {
  const what = connected ? 'TLS handshake failed' : 'connection failed';
  return `${what}: ${e.code ?? ''}${e.code ? ' ' : ''}${e.message}`.slice(0, 300);
}

/** Node's `subjectaltname`: `DNS:a, IP Address:192.0.2.1, …` → names and addresses. */
export function parseSubjectAltName(text: string): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of text.split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim());
    if (!m) continue;
    (m[1] === 'DNS' ? dns : ip).push(m[2]!.trim());
  }
  return { dns, ip };
}
