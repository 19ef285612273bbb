import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  boundKindOf,
  EnvironmentSchema,
  guideInput,
  type IssuePath,
  NUMERIC_BOUNDS,
  type NumericBoundKind,
} from '@osa-gitops/core';
import { validateEnvironment } from './validate-environment';

/**
 * Every number of the definition is bounded by what the program that reads it accepts (core's
 * bounds.ts). The model is walked for its numbers: a new numeric field fails here until it is a
 * `boundedInt` of some kind and has a place below. Each is then tried at the edges of its range.
 */

/** Each number of the model, as a path with `*` for a record key and 0 for a list item. */
function numbersOf(schema: z.ZodType, at: string[] = []): { path: string; kind?: NumericBoundKind }[] {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  if (s instanceof z.ZodNumber) {
    const kind = boundKindOf(s);
    return [{ path: at.join('.'), ...(kind === undefined ? {} : { kind }) }];
  }
  if (s instanceof z.ZodObject)
    return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => numbersOf(v, [...at, k]));
  if (s instanceof z.ZodArray) return numbersOf(s.element as z.ZodType, [...at, '0']);
  if (s instanceof z.ZodRecord) return numbersOf(s.valueType as z.ZodType, [...at, '*']);
  return [];
}

/** Where each number is tried in the guide definition (a record key or list item made concrete). */
const PLACES: Record<string, IssuePath> = {
  'providerNetworks.0.mtu': ['providerNetworks', 0, 'mtu'],
  'hostNetworking.bond.mtu': ['hostNetworking', 'bond', 'mtu'],
  'hostNetworking.vlans.0.id': ['hostNetworking', 'vlans', 0, 'id'],
  'hostNetworking.vlans.0.mtu': ['hostNetworking', 'vlans', 0, 'mtu'],
  'hosts.*.affinity.*': ['hosts', 'infra1', 'affinity', 'haproxy_container'],
  'haproxy.publicNetwork.vlan': ['haproxy', 'publicNetwork', 'vlan'],
  'haproxy.publicNetwork.mtu': ['haproxy', 'publicNetwork', 'mtu'],
  'haproxy.keepalived.externalRouterId': ['haproxy', 'keepalived', 'externalRouterId'],
  'haproxy.keepalived.internalRouterId': ['haproxy', 'keepalived', 'internalRouterId'],
  'haproxy.keepalived.routerIdsInUse.external.0': ['haproxy', 'keepalived', 'routerIdsInUse', 'external', 0],
  'haproxy.keepalived.routerIdsInUse.internal.0': ['haproxy', 'keepalived', 'routerIdsInUse', 'internal', 0],
};

function withValue(path: IssuePath, value: number) {
  const d = guideInput() as unknown as Record<string, unknown>;
  // A VLAN of the bond to try ids and MTUs on; the bond at the largest MTU, so a VLAN's may be too.
  (d.hostNetworking as Record<string, unknown>).vlans = [{ id: 30, bridge: 'br-storage' }];
  ((d.hostNetworking as Record<string, unknown>).bond as Record<string, unknown>).mtu = 65535;
  let cur = d;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    cur[seg] ??= typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[seg] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
  return d;
}

const numbers = numbersOf(EnvironmentSchema);

describe('ranges of the numbers in a definition', () => {
  it('every number of the model has a kind, and a place in this test', () => {
    expect(numbers.filter((n) => n.kind === undefined).map((n) => n.path)).toEqual([]);
    expect(numbers.map((n) => n.path).sort()).toEqual(Object.keys(PLACES).sort());
    expect(new Set(numbers.map((n) => n.kind))).toEqual(new Set(Object.keys(NUMERIC_BOUNDS)));
  });

  it.each(numbers)(
    '$path ($kind): its code just outside the range, nothing at the edges',
    ({ path, kind }) => {
      const b = NUMERIC_BOUNDS[kind!];
      const place = PLACES[path]!;
      const codesAt = (value: number) =>
        validateEnvironment(withValue(place, value))
          .issues.filter((i) => JSON.stringify(i.path) === JSON.stringify(place))
          .map((i) => i.code);
      expect(codesAt(b.min - 1)).toEqual([b.code]);
      expect(codesAt(b.max + 1)).toEqual([b.code]);
      expect(codesAt(b.min)).toEqual([]);
      expect(codesAt(b.max)).toEqual([]);
    },
  );

  it('says the range and who sets it', () => {
    const r = validateEnvironment(withValue(['haproxy', 'publicNetwork', 'mtu'], 65536));
    expect(r.issues).toMatchObject([
      {
        code: 'MTU_RANGE',
        message: expect.stringMatching(/^MTU 65536 is out of range; expected 1280–65535: the kernel's /),
      },
    ]);
  });
});
