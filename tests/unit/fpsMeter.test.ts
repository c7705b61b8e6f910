import { describe, expect, it } from 'vitest';
import { FpsMeter } from '../../src/app/ui/fpsMeter';

describe('FpsMeter', () => {
  it('counts results per second over the last two seconds', () => {
    const m = new FpsMeter();
    for (let t = 0; t <= 3000; t += 40) m.tick(t); // 25 fps
    expect(m.fps(3000)).toBeCloseTo(25, 5);
  });

  it('gives a slow source its rate (not 0) from the last interval', () => {
    const m = new FpsMeter();
    m.tick(0);
    m.tick(1500);
    m.tick(3000); // 0.67 fps: one result in any 2 s window
    expect(m.fps(3600)).toBeCloseTo(1000 / 1500, 5);
  });

  it('is 0 before two results and once the source stalls', () => {
    const m = new FpsMeter();
    expect(m.fps(0)).toBe(0);
    m.tick(0);
    expect(m.fps(100)).toBe(0);
    m.tick(500);
    expect(m.fps(600)).toBeGreaterThan(0);
    expect(m.fps(500 + 5001)).toBe(0);
    m.reset();
    expect(m.fps(600)).toBe(0);
  });
});
