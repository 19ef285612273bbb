import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coalesceRanges, formatUsedIp, parseReserved } from './used-ips';
import { ipv4 } from '@osa-gitops/core';
const { requireAddress } = ipv4;

describe('used_ips entries', () => {
  it('turns the friendly a-b form into OSA "first,last" and single addresses into themselves', () => {
    expect(formatUsedIp(parseReserved('203.0.113.140-203.0.113.142'))).toBe('203.0.113.140,203.0.113.142');
    expect(formatUsedIp(parseReserved('203.0.113.129'))).toBe('203.0.113.129');
    expect(formatUsedIp(parseReserved('10.0.0.9-10.0.0.9'))).toBe('10.0.0.9');
  });

  it('coalesces overlapping and adjacent ranges, keeps gaps', () => {
    const r = (a: string, b = a) => ({ first: requireAddress(a), last: requireAddress(b) });
    expect(
      coalesceRanges([
        r('10.0.0.5', '10.0.0.9'),
        r('10.0.0.1', '10.0.0.4'),
        r('10.0.0.7'),
        r('10.0.0.11'),
      ]).map(formatUsedIp),
    ).toEqual(['10.0.0.1,10.0.0.9', '10.0.0.11']);
  });

  it('reserves exactly the same address set, disjoint and sorted (property)', () => {
    const range = fc
      .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 20 }))
      .map(([first, len]) => ({ first, last: first + len }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 20 }), (ranges) => {
        const covered = (rs: readonly { first: number; last: number }[]) => {
          const s = new Set<number>();
          for (const x of rs) for (let i = x.first; i <= x.last; i++) s.add(i);
          return [...s].sort((a, b) => a - b);
        };
        const out = coalesceRanges(ranges);
        expect(covered(out)).toEqual(covered(ranges));
        for (let i = 1; i < out.length; i++) expect(out[i]!.first).toBeGreaterThan(out[i - 1]!.last + 1);
      }),
    );
  });
});
