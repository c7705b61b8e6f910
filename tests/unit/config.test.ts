import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, qualityConfig, resolveConfig } from '../../src/core/config';
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

describe('quality presets (qualityConfig)', () => {
  it("'best' on a still: the heads (fused 2D) and the mesh from the regressed start, its joints as the 3D keypoints", () => {
    const c = resolveConfig(qualityConfig('best', 'full', 'still'));
    expect(c.heads).toMatchObject({ enabled: true, keypoints: 'fused' });
    expect(c.mesh).toMatchObject({ enabled: true, iterations: 16, start: 'regressor', keypoints3d: true });
  });

  it("'best' on video: the heads only (a mesh fit every frame would double the frame time)", () => {
    const c = resolveConfig(qualityConfig('best', 'full', 'video'));
    expect(c.heads.enabled).toBe(true);
    expect(c.mesh).toEqual(DEFAULT_CONFIG.mesh);
  });

  it("'fast', or the lite landmark model (the heads cannot read it): MediaPipe's own path", () => {
    const fast = resolveConfig(qualityConfig('fast', 'full', 'still'));
    const lite = resolveConfig({ ...qualityConfig('best', 'lite', 'still'), landmarks: { variant: 'lite' } });
    for (const r of [fast, lite]) {
      expect(r.heads.enabled).toBe(false);
      expect(r.mesh.enabled).toBe(false);
    }
  });
});
