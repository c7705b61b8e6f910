import { describe, expect, it } from 'vitest';
import { boxContainment, boxIoU, type Box } from '../../src/core/geometry/rect';
import { suppressDuplicates } from '../../src/core/pipeline';

const hand = (name: string, presence: number, box: Box) => ({ name, box, out: { presence } });
const dup = (a: Box, b: Box) => boxIoU(a, b) > 0.5 || boxContainment(a, b) > 0.6;

describe('hand NMS (suppressDuplicates)', () => {
  it('keeps the more confident of two answers for one hand, even when it was found second', () => {
    // a collapsed skeleton on a finger cluster (small box, presence 0.6) inside the whole hand (0.99)
    const collapsed = hand('collapsed', 0.6, { xMin: 100, yMin: 100, xMax: 140, yMax: 130 });
    const whole = hand('whole', 0.99, { xMin: 50, yMin: 50, xMax: 200, yMax: 250 });
    const pairs: string[] = [];
    const kept = suppressDuplicates([collapsed, whole], 2, dup, (k, d) => pairs.push(`${k.name}>${d.name}`));
    expect(kept.map((k) => k.name)).toEqual(['whole']);
    expect(pairs).toEqual(['whole>collapsed']);
  });

  it('keeps separate hands, best first, up to max', () => {
    const a = hand('a', 0.9, { xMin: 0, yMin: 0, xMax: 10, yMax: 10 });
    const b = hand('b', 0.95, { xMin: 100, yMin: 0, xMax: 110, yMax: 10 });
    const c = hand('c', 0.8, { xMin: 200, yMin: 0, xMax: 210, yMax: 10 });
    expect(suppressDuplicates([a, b, c], 2, dup).map((k) => k.name)).toEqual(['b', 'a']);
  });
});
