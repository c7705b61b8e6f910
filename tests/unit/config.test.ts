import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/core/config';
import { HandsError } from '../../src/core/errors';

describe('pipeline config', () => {
  it('defaults when nothing is given', () => {
    expect(resolveConfig()).toEqual(DEFAULT_CONFIG);
    expect(resolveConfig().maxHands).toBe(2);
  });

  it('merges nested partial options', () => {
    const c = resolveConfig({ maxHands: 4, filter: { enabled: false }, landmarks: { variant: 'lite' } });
    expect(c.maxHands).toBe(4);
    expect(c.filter).toEqual({ ...DEFAULT_CONFIG.filter, enabled: false });
    expect(c.landmarks.variant).toBe('lite');
    expect(c.landmarks.minPresence).toBe(DEFAULT_CONFIG.landmarks.minPresence);
  });

  it('merges over a given base (setConfig)', () => {
    const base = resolveConfig({ maxHands: 3 });
    expect(resolveConfig({ tracking: { enabled: false } }, base).maxHands).toBe(3);
  });

  it.each([
    [{ maxHands: 0 }, /maxHands must be an integer in \[1, 8\]/],
    [{ maxHands: 1.5 }, /maxHands/],
    [{ maxHands: Number.NaN }, /maxHands/],
    [{ detector: { minScore: 2 } }, /detector.minScore/],
    [{ landmarks: { variant: 'heavy' } }, /landmarks.variant must be "full" or "lite"/],
    [{ filter: { enabled: 'yes' } }, /filter.enabled must be true or false/],
    [{ tracking: { detectIntervalFrames: 0 } }, /tracking.detectIntervalFrames/],
    [{ maxhands: 2 }, /one of the known options/],
    [{ filter: { cutoff: 1 } }, /filter.cutoff/],
    [{ detector: 5 }, /detector must be an object/],
  ])('rejects %j with a clear message', (partial, message) => {
    let err: unknown;
    try {
      resolveConfig(partial as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HandsError);
    expect((err as HandsError).code).toBe('invalid-config');
    expect((err as HandsError).message).toMatch(message);
  });
});
