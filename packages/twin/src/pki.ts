import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertSpec } from './role-config';
import { must } from './netns';

/**
 * The stand-in for OSA's PKI role (openstack.osa `pki`, standalone backend): a CA, then each
 * certificate haproxy_server asks for (name, CN, SANs: `_haproxy_pki_certificates`), signed by it
 * with openssl, and the `.pem` haproxy_server's "Regen pem" handler assembles (certificate, CA,
 * key). EC P-256 keys: the twin needs proofs of the SANs, not the role's key sizes.
 */
export class TwinPki {
  private serial = 1;
  constructor(private readonly dir: string) {
    must(
      [
        'openssl',
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.crt'),
        '-subj',
        '/CN=osa-gitops twin CA',
        '-days',
        '30',
      ],
      'openssl: the twin CA',
    );
  }

  get caFile(): string {
    return join(this.dir, 'ca.crt');
  }

  /** The `.pem` (certificate, CA, key) for one spec; `omitIps` leaves those IP SANs out (a fault). */
  pem(spec: CertSpec, omitIps: readonly string[] = []): string {
    const base = join(this.dir, `${this.serial++}`);
    const san = [
      ...new Set(spec.san.dns.map((d) => `DNS:${d}`)),
      ...new Set(spec.san.ip.filter((ip) => !omitIps.includes(ip)).map((ip) => `IP:${ip}`)),
    ];
    const ext = `${base}.ext`;
    writeFileSync(ext, `subjectAltName=${san.join(',')}\n`);
    must(
      [
        'openssl',
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${spec.cn}`,
      ],
      `openssl: key for ${spec.name}`,
    );
    must(
      [
        'openssl',
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        this.caFile,
        '-CAkey',
        join(this.dir, 'ca.key'),
        '-set_serial',
        String(this.serial),
        '-days',
        '30',
        '-extfile',
        ext,
        '-out',
        `${base}.crt`,
      ],
      `openssl: sign ${spec.name}`,
    );
    return [`${base}.crt`, this.caFile, `${base}.key`]
      .map((f) => {
        const text = readFileSync(f, 'utf8');
        return text.endsWith('\n') ? text : `${text}\n`;
      })
      .join('');
  }
}
