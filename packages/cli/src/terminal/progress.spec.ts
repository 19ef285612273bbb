import { describe, expect, it } from 'vitest';
import { fakeIo } from '../test-utils/workspace-fixture';
import { progressFor } from './progress';

describe('progressFor', () => {
  it('writes a self-clearing stderr line at a terminal for more than 20 sites', () => {
    const io = fakeIo('/tmp', { isTTY: true });
    const p = progressFor(io);
    p.update(3, 21, 'validating');
    p.done();
    expect(io.err).toEqual(['\r\u001b[Kvalidating 3/21 sites', '\r\u001b[K']);
    expect(io.out).toEqual([]);
  });

  it('stays silent for 20 sites or fewer, and when not at a terminal', () => {
    const tty = fakeIo('/tmp', { isTTY: true });
    progressFor(tty).update(1, 20, 'validating');
    const pipe = fakeIo('/tmp');
    const p = progressFor(pipe);
    p.update(1, 500, 'validating');
    p.done();
    expect([...tty.err, ...pipe.err]).toEqual([]);
  });
});
