import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['500ms', 500],
    ['45s', 45_000],
    ['10m', 600_000],
    ['4h', 14_400_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0', '0s', '-5s', '1.5h', '10 m', '1d', 'm', '10m5s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
