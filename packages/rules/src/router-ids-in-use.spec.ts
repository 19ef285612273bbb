import { describe, expect, it } from 'vitest';
import { guideInput, guideSecondSite } from '@osa-gitops/core';
import { validateFleet } from './fleet';
import { validateEnvironment, validateEnvironmentOrThrow } from './validate-environment';

// Issue 26, item 5: the fleet check only knew the fleet's own sites; a router already using the
// same id on the public VLAN (the gateways' own VRRP) clashed unseen.
describe('router ids others use on the segments (routerIdsInUse)', () => {
  const codes = (mutate: (d: ReturnType<typeof guideInput>) => void) => {
    const d = guideInput();
    mutate(d);
    return validateEnvironment(d).issues.map((i) => [i.code, i.path]);
  };

  it('refuses an own id that is declared in use on its segment, for each instance', () => {
    expect(
      codes((d) => {
        Object.assign(d.haproxy, {
          keepalived: {
            externalRouterId: 10,
            internalRouterId: 11,
            routerIdsInUse: { external: [1, 2], internal: [11] },
          },
        });
      }),
    ).toEqual([['KEEPALIVED_ROUTER_ID_IN_USE', ['haproxy', 'keepalived', 'internalRouterId']]]);
  });

  it('accepts ids nobody declared, and refuses a declared id outside 1–255', () => {
    expect(
      codes((d) => {
        Object.assign(d.haproxy, {
          keepalived: {
            externalRouterId: 10,
            internalRouterId: 11,
            routerIdsInUse: { external: [1, 2] },
          },
        });
      }),
    ).toEqual([]);
    expect(
      codes((d) => {
        Object.assign(d.haproxy, {
          keepalived: {
            externalRouterId: 10,
            internalRouterId: 11,
            routerIdsInUse: { external: [0, 256] },
          },
        });
      }),
    ).toEqual([
      ['VRID_RANGE', ['haproxy', 'keepalived', 'routerIdsInUse', 'external', 0]],
      ['VRID_RANGE', ['haproxy', 'keepalived', 'routerIdsInUse', 'external', 1]],
    ]);
  });

  it('across the fleet: a site on the same public segment may not use an id another site declares in use there', () => {
    const a = guideInput();
    const b = guideSecondSite();
    Object.assign(a, { publicSegment: 'edge-a' });
    Object.assign(b, { publicSegment: 'edge-a' });
    Object.assign(a.haproxy, {
      keepalived: { externalRouterId: 20, internalRouterId: 11, routerIdsInUse: { external: [30] } },
    });
    b.haproxy.keepalived = { externalRouterId: 30, internalRouterId: 11 };
    const envs = [a, b].map((x) => validateEnvironmentOrThrow(x));
    expect(validateFleet(envs).map((i) => [i.code, i.site, i.path])).toEqual([
      ['FLEET_VRID_CONFLICT', 'lab-two', ['haproxy', 'keepalived', 'externalRouterId']],
    ]);
    // Another segment does not share the gateways.
    Object.assign(b, { publicSegment: 'edge-b' });
    expect(validateFleet([a, b].map((x) => validateEnvironmentOrThrow(x)))).toEqual([]);
  });
});
