import { type Environment } from '@osa-gitops/core';
import { validateEnvironment, validateFleet } from '@osa-gitops/rules';
import { describe, expect, it } from 'vitest';
import { syntheticFleet } from './fleet';

// The benchmark must measure the happy path: a synthetic fleet that is itself invalid would time
// issue reporting instead of validation and render.
describe('synthetic fleet', () => {
  it('validates clean, site by site and as a fleet', () => {
    const fleet = syntheticFleet(120);
    const envs: Environment[] = [];
    for (const input of fleet) {
      const r = validateEnvironment(input);
      expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
      envs.push(r.environment!);
    }
    expect(validateFleet(envs)).toEqual([]);
  });

  it('spans 3 to 30 hosts per site', () => {
    const counts = syntheticFleet(60).map((s) => Object.keys(s.hosts).length);
    expect(Math.min(...counts)).toBe(3);
    expect(Math.max(...counts)).toBe(30);
  });
});
