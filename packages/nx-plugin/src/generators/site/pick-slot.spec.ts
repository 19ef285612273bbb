import { describe, expect, it } from 'vitest';
import { pickAddressSlot } from './pick-slot';

describe('pickAddressSlot', () => {
  it('takes the first slot no network or VIP touches', () => {
    expect(pickAddressSlot([])).toBe(1);
    expect(pickAddressSlot([{ networks: { container: '10.1.4.0/22' } }])).toBe(2);
    expect(
      pickAddressSlot([
        { networks: {}, haproxy: { vips: { external: '198.18.1.10', internal: '10.9.0.9' } } },
      ]),
    ).toBe(2);
  });

  it('ignores values that are not addresses', () => {
    expect(pickAddressSlot([null, 'x', { networks: { a: 'nope', b: 42 } }])).toBe(1);
  });

  it('gives up when every slot is taken', () => {
    expect(() => pickAddressSlot([{ networks: { all: '10.0.0.0/8' } }])).toThrow(/No free placeholder slot/);
  });
});
