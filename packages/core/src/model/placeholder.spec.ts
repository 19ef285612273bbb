import { describe, expect, it } from 'vitest';
import { isPlaceholder, PLACEHOLDER_KEY, placeholder, resolvePlaceholders } from './placeholder';

describe('placeholder', () => {
  it('is a marker object around the value, whatever its type says', () => {
    const p = placeholder('10.1.0.0/22');
    expect(p).toEqual({ [PLACEHOLDER_KEY]: '10.1.0.0/22' });
    expect(isPlaceholder(p)).toBe(true);
    expect(isPlaceholder({ [PLACEHOLDER_KEY]: 1, other: 2 })).toBe(false);
    expect(isPlaceholder([placeholder(1)])).toBe(false);
    expect(isPlaceholder('10.1.0.0/22')).toBe(false);
  });

  it('resolves every placeholder to its value, nested ones too, and says where each was', () => {
    const data = {
      networks: { container: placeholder('10.1.0.0/22'), tunnel: '10.1.4.0/22' },
      reserved: { container: placeholder([placeholder('10.1.0.1'), '10.1.0.2']) },
      hosts: { a: { ip: '10.1.0.11', bondMembers: placeholder(placeholder({ ens3: '02:00:00:00:00:01' })) } },
    };
    const { value, paths } = resolvePlaceholders(data);
    expect(value).toEqual({
      networks: { container: '10.1.0.0/22', tunnel: '10.1.4.0/22' },
      reserved: { container: ['10.1.0.1', '10.1.0.2'] },
      hosts: { a: { ip: '10.1.0.11', bondMembers: { ens3: '02:00:00:00:00:01' } } },
    });
    expect(paths).toEqual([
      ['networks', 'container'],
      ['reserved', 'container'],
      ['reserved', 'container', 0],
      ['hosts', 'a', 'bondMembers'],
      ['hosts', 'a', 'bondMembers'],
    ]);
  });

  it('leaves data without placeholders as it is (the same object), and a __proto__ key a plain key', () => {
    const data = { a: [1, { b: 'c' }] };
    expect(resolvePlaceholders(data)).toEqual({ value: data, paths: [] });
    expect(resolvePlaceholders(data).value).toBe(data);
    const tricky = JSON.parse('{"__proto__": {"x": 1}, "y": {"osa-gitops:placeholder": 2}}') as object;
    const { value } = resolvePlaceholders(tricky);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__', 'y']);
    expect((value as { y: number }).y).toBe(2);
  });
});
