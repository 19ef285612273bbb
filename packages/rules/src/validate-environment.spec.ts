import { describe, expect, it } from 'vitest';
import { EnvironmentValidationError, guideInput, sortIssues } from '@osa-gitops/core';
import { validateEnvironment, validateEnvironmentOrThrow } from './validate-environment';

describe('validateEnvironment', () => {
  it('returns the parsed environment with defaults applied', () => {
    const input: Record<string, unknown> = guideInput();
    delete input.routingDomain;
    delete input.managementBridge;
    const result = validateEnvironment(input);
    expect(result.ok).toBe(true);
    expect(result.environment).toMatchObject({ routingDomain: 'default', managementBridge: 'br-mgmt' });
  });

  it('returns the environment when the shape is valid but rules fail', () => {
    const input = guideInput();
    input.haproxy.vips.external = '198.51.100.1';
    const result = validateEnvironment(input);
    expect(result.ok).toBe(false);
    expect(result.environment?.name).toBe('guide-lab');
    expect(result.issues).toMatchObject([{ code: 'VIP_OUTSIDE_NETWORK' }]);
  });

  it('returns no environment when the shape is invalid', () => {
    const result = validateEnvironment({ ...guideInput(), hosts: [] });
    expect(result.ok).toBe(false);
    expect(result.environment).toBeUndefined();
    expect(result.issues).toMatchObject([{ code: 'SCHEMA_INVALID', path: ['hosts'] }]);
  });

  it('keeps warnings out of ok', () => {
    const input = guideInput();
    delete input.hosts.infra2;
    delete input.hosts.infra3;
    const result = validateEnvironment(input);
    expect(result.issues).toMatchObject([{ code: 'SINGLE_HAPROXY_HOST', severity: 'warning' }]);
    expect(result.ok).toBe(true);
  });

  it('names the site from opts, else from the input, else ?', () => {
    const broken = { ...guideInput(), hosts: 1 };
    expect(validateEnvironment(broken, { site: 'dc9' }).issues[0]?.site).toBe('dc9');
    expect(validateEnvironment(broken).issues[0]?.site).toBe('guide-lab');
    expect(validateEnvironment({ ...broken, name: 7 }).issues[0]?.site).toBe('?');
    expect(validateEnvironment(null).issues[0]?.site).toBe('?');
    expect(validateEnvironment({ ...guideInput(), hosts: () => 1 }).issues[0]?.site).toBe('guide-lab');
    const getterName = Object.defineProperty({}, 'name', { enumerable: true, get: () => 'x' });
    expect(validateEnvironment({ ...guideInput(), hosts: () => 1, ...getterName }).issues[0]?.site).toBe('x');
  });

  it('sorts issues', () => {
    const input = guideInput();
    input.haproxy.keepalived.internalRouterId = 10;
    input.hostNetworking.bond.miiMonitor = '100';
    input.hosts.infra2!.ip = '172.29.236.11';
    input.name = 'Bad Name';
    const { issues } = validateEnvironment(input);
    expect(issues.length).toBeGreaterThan(3);
    expect(issues).toEqual(sortIssues(issues));
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'dc1'],
    ['an array', [guideInput()]],
    ['a function', () => guideInput()],
  ])('reports %s as a shape error without throwing', (_, input) => {
    const result = validateEnvironment(input);
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ code: 'SCHEMA_INVALID', path: [] });
  });

  it('turns a throwing getter into an issue at its path', () => {
    const input = guideInput();
    Object.defineProperty(input.hosts, 'infra2', {
      enumerable: true,
      get: () => {
        throw new Error('secret evaluation');
      },
    });
    const result = validateEnvironment(input);
    expect(result.issues).toMatchObject([{ code: 'SCHEMA_INVALID', path: ['hosts', 'infra2'] }]);
  });

  it('turns a cycle into an issue', () => {
    const input: Record<string, unknown> = guideInput();
    input.self = input;
    expect(validateEnvironment(input).issues).toMatchObject([{ code: 'SCHEMA_INVALID', path: ['self'] }]);
  });

  it('refuses a huge input cheaply as TOO_LARGE', () => {
    const input: Record<string, unknown> = guideInput();
    input.description = new Array(2_000_000).fill('x');
    expect(validateEnvironment(input).issues).toMatchObject([{ code: 'TOO_LARGE' }]);
  });

  it('checks strings zod would never see, keys included', () => {
    const input: Record<string, unknown> = guideInput();
    input['{{ x }}'] = { nested: ['ok', 'a\u0007bell'] };
    const codes = validateEnvironment(input).issues.map((i) => [i.code, i.path]);
    expect(codes).toEqual([
      ['SCHEMA_UNKNOWN_KEY', ['{{ x }}']],
      ['UNSAFE_TEXT', ['{{ x }}']],
      ['UNSAFE_TEXT', ['{{ x }}', 'nested', 1]],
    ]);
  });

  it('lists the first unknown keys of an object and counts the rest (190,000 overflowed the stack)', () => {
    const input: Record<string, unknown> = guideInput();
    for (let i = 0; i < 190_000; i++) input[`unknown${i}`] = i;
    const issues = validateEnvironment(input).issues;
    expect(issues).toHaveLength(21);
    expect(issues.filter((i) => i.path.length === 1)).toHaveLength(20);
    expect(issues.find((i) => i.path.length === 0)).toMatchObject({
      code: 'SCHEMA_UNKNOWN_KEY',
      message: expect.stringMatching(
        /^189980 more unknown keys here \(190000 in all, the first 20 listed\)/,
      ) as string,
    });
  }, 60_000);

  it('does not mutate its input', () => {
    const input = guideInput();
    const before = JSON.stringify(input);
    validateEnvironment(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('validateEnvironmentOrThrow', () => {
  it('returns the environment', () => {
    expect(validateEnvironmentOrThrow(guideInput()).name).toBe('guide-lab');
  });

  it('throws EnvironmentValidationError with every issue', () => {
    const input = guideInput();
    input.haproxy.publicNetwork.vlan = 5000;
    input.haproxy.keepalived.externalRouterId = 300;
    try {
      validateEnvironmentOrThrow(input, { site: 'lab' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvironmentValidationError);
      expect((err as EnvironmentValidationError).issues).toMatchObject([
        { code: 'VRID_RANGE', site: 'lab' },
        { code: 'VLAN_ID_RANGE', site: 'lab' },
      ]);
    }
  });

  it('does not throw for warnings', () => {
    const input = guideInput();
    delete input.hosts.infra3;
    delete input.hosts.infra2;
    expect(() => validateEnvironmentOrThrow(input)).not.toThrow();
  });
});
