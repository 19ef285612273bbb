import { describe, expect, it } from 'vitest';
import dcEast from '../../../../environments/dc-east/environment';
import dcWest from '../../../../environments/dc-west/environment';
import guideLab from '../../../../environments/guide-lab/environment';
import { validateFleet } from './fleet';
import { validateEnvironment, validateEnvironmentOrThrow } from './validate-environment';

// The one spec allowed to import environments/: the committed example sites must stay valid.
const EXAMPLES = { 'dc-east': dcEast, 'dc-west': dcWest, 'guide-lab': guideLab };

describe('example sites', () => {
  it.each(Object.entries(EXAMPLES))('%s validates clean', (name, input) => {
    const result = validateEnvironment(input);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.environment?.name).toBe(name);
  });

  it('pass the fleet checks together', () => {
    const envs = Object.values(EXAMPLES).map((input) => validateEnvironmentOrThrow(input));
    expect(validateFleet(envs)).toEqual([]);
  });
});
