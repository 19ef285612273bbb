import fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  contains,
  formatAddress,
  isNetworkOrBroadcast,
  netmaskOf,
  parseAddress,
  parseCidr,
  requireAddress,
  requireCidr,
} from './ipv4';
import { clipIntervals, countCovered, mergeIntervals } from './intervals';

describe('parseAddress', () => {
  it('reads canonical dotted quads', () => {
    expect(parseAddress('203.0.113.129')).toBe(3405803905);
    expect(parseAddress('0.0.0.0')).toBe(0);
    expect(parseAddress('255.255.255.255')).toBe(2 ** 32 - 1);
  });

  it.each([
    '010.0.0.1', // octal in inet_aton
    '1.2.3.04',
    '0x7f.0.0.1',
    '127.1',
    '2130706433',
    '::ffff:1.2.3.4',
    '::1',
    '1.2.3.4/32',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '256.1.1.1',
    '1.2.3.-4',
    '',
  ])('rejects %j', (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });

  it('agrees with ipaddr.js isValidFourPartDecimal on arbitrary text', () => {
    const quadish = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 300 }).map(String),
          fc.constantFrom('00', '010', '0x1', '', '-1', ' 1'),
        ),
        {
          minLength: 1,
          maxLength: 5,
        },
      )
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.oneof(quadish, fc.string()), (text) => {
        const valid = ipaddr.IPv4.isValidFourPartDecimal(text);
        expect(parseAddress(text) !== undefined).toBe(valid);
        // and reads the same number ipaddr.js reads
        if (valid) {
          const [a, b, c, d] = ipaddr.IPv4.parse(text).toByteArray();
          expect(parseAddress(text)).toBe(((a! << 24) >>> 0) + (b! << 16) + (c! << 8) + d!);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips through formatAddress', () => {
    for (const n of [0, 1, 255, 256, 3405803905, 2 ** 32 - 1]) expect(parseAddress(formatAddress(n))).toBe(n);
  });
});

describe('parseCidr', () => {
  it('reads a network', () => {
    expect(parseCidr('203.0.113.128/28')).toEqual({
      ok: true,
      cidr: { text: '203.0.113.128/28', prefix: 28, first: 3405803904, last: 3405803919, size: 16 },
    });
  });

  it('names the network when host bits are set', () => {
    expect(parseCidr('203.0.113.130/28')).toEqual({
      ok: false,
      reason: 'host-bits',
      network: '203.0.113.128/28',
    });
  });

  it('accepts /0 and /32 (size rules are the caller’s)', () => {
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ ok: true, cidr: { first: 0, last: 2 ** 32 - 1 } });
    expect(parseCidr('10.0.0.1/32')).toMatchObject({ ok: true, cidr: { size: 1 } });
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0.0/024',
    '10.0.0.0/+8',
    '10.0.0.0/8/8',
    '2001:db8::/32',
    '010.0.0.0/8',
    '/8',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('tells inside from network and broadcast', () => {
    const r = parseCidr('10.0.0.0/30');
    if (!r.ok) throw new Error('expected a CIDR');
    expect([0, 1, 2, 3, 4].map((i) => contains(r.cidr, parseAddress(`10.0.0.${i}`)!))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect([0, 1, 2, 3].map((i) => isNetworkOrBroadcast(r.cidr, parseAddress(`10.0.0.${i}`)!))).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
});

describe('host bits', () => {
  // Validation and render once disagreed here: validation rejected `.5/24`, render masked it to
  // `.0/24` silently. Both now read CIDRs through parseCidr, which never masks.
  it.each([
    ['10.0.0.5/24', '10.0.0.0/24'],
    ['10.0.0.1/31', '10.0.0.0/31'],
    ['172.29.239.255/22', '172.29.236.0/22'],
    ['1.2.3.4/0', '0.0.0.0/0'],
  ])('%j is not a network: it names %j', (text, network) => {
    expect(parseCidr(text)).toEqual({ ok: false, reason: 'host-bits', network });
    expect(() => requireCidr(text)).toThrow(`host bits set; the network is ${network}`);
  });

  it.each(['10.0.0.0/24', '10.0.0.0/31', '10.0.0.7/32', '172.29.236.0/22', '0.0.0.0/0'])(
    '%j is a network',
    (text) => {
      expect(requireCidr(text).text).toBe(text);
    },
  );

  it('agrees with ipaddr.js on network and broadcast for every prefix (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (n, prefix) => {
        const text = `${formatAddress(n)}/${prefix}`;
        const network = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
        const r = parseCidr(text);
        if (network !== formatAddress(n)) {
          expect(r).toEqual({ ok: false, reason: 'host-bits', network: `${network}/${prefix}` });
          return;
        }
        if (!r.ok) throw new Error(`expected ${text} to parse`);
        expect(formatAddress(r.cidr.last)).toBe(ipaddr.IPv4.broadcastAddressFromCIDR(text).toString());
        expect(r.cidr.size).toBe(2 ** (32 - prefix));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('netmaskOf and require*', () => {
  it('gives the dotted netmask of a prefix', () => {
    expect(netmaskOf(requireCidr('10.30.0.0/22'))).toBe('255.255.252.0');
    expect(netmaskOf(requireCidr('0.0.0.0/0'))).toBe('0.0.0.0');
    expect(netmaskOf(requireCidr('10.0.0.1/32'))).toBe('255.255.255.255');
  });

  it.each(['1.2.3', '256.1.1.1', '1.2.3.4/24', ' 1.2.3.4', 'a.b.c.d', '010.0.0.1'])(
    'requireAddress throws on %j',
    (text) => {
      expect(() => requireAddress(text)).toThrow(/validated environment/);
    },
  );

  it('requireAddress reads what parseAddress reads', () => {
    expect(requireAddress('203.0.113.129')).toBe(3405803905);
  });
});

describe('intervals', () => {
  it('merges overlapping and adjacent ranges', () => {
    expect(
      mergeIntervals([
        { first: 10, last: 12 },
        { first: 1, last: 3 },
        { first: 4, last: 5 },
        { first: 11, last: 20 },
      ]),
    ).toEqual([
      { first: 1, last: 5 },
      { first: 10, last: 20 },
    ]);
  });

  it('counts distinct addresses without expanding ranges', () => {
    expect(
      countCovered([
        { first: 0, last: 2 ** 32 - 1 },
        { first: 5, last: 5 },
      ]),
    ).toBe(2 ** 32);
    expect(
      countCovered([
        { first: 5, last: 5 },
        { first: 5, last: 5 },
      ]),
    ).toBe(1);
  });

  it('clips to a window', () => {
    expect(
      clipIntervals(
        [
          { first: 0, last: 10 },
          { first: 20, last: 30 },
        ],
        5,
        22,
      ),
    ).toEqual([
      { first: 5, last: 10 },
      { first: 20, last: 22 },
    ]);
  });
});
