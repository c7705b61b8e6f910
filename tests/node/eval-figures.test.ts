import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { regionAround, writeContactSheet } from '../../src/cli/eval/contactSheet';
import { pickWorst } from '../../src/cli/eval/figures';
import { histogramSvg, lineChartSvg, writeSvgPng } from '../../src/cli/eval/plots';
import { EXPECTED, HANDS_JPG, tempDir } from '../helpers/evalDatasets';

describe('eval figures', () => {
  it('pickWorst: a few misses first, then the largest relative errors', () => {
    const items = [
      { id: 'a', found: true, normMean: 0.02 },
      { id: 'b', found: false, normMean: Infinity },
      { id: 'c', found: true, normMean: 0.3 },
      { id: 'd', found: false, normMean: Infinity },
      { id: 'e', found: true, normMean: 0.1 },
    ];
    const { picked, missed } = pickWorst(items, 3, 1);
    expect(missed).toBe(2);
    expect(picked.map((i) => i.id)).toEqual(['b', 'c', 'e']);
    expect(pickWorst(items, 10, 4).picked.map((i) => i.id)).toEqual(['b', 'd', 'c', 'e', 'a']);
  });

  it('regionAround: square around the union of boxes, scaled', () => {
    // union (0, 0)-(30, 20): side max(30, 20) x 1 = 30 around the centre (15, 10)
    expect(
      regionAround(
        [
          [0, 0, 10, 20],
          [5, 5, 30, 10],
        ],
        1,
        1,
      ),
    ).toEqual([0, -5, 30]);
    // x 2 and a minimum side
    expect(regionAround([[10, 10, 20, 20]], 2, 1)).toEqual([5, 5, 20]);
    expect(regionAround([[10, 10, 12, 12]], 2, 48)).toEqual([-13, -13, 48]);
  });

  it('plots and a contact sheet rasterise to PNG', async () => {
    const dir = tempDir('figures');
    const line = lineChartSvg({
      title: 'PCK <test> & co',
      xLabel: 'x',
      yLabel: 'y',
      x: [0, 0.2],
      y: [0, 1],
      series: [{ name: 'a', colour: '#00f', xs: [0, 0.1, 0.2], ys: [0, 0.5, 1] }],
      band: [0.05, 0.1],
    });
    await writeSvgPng(line, join(dir, 'line.png'));
    await writeSvgPng(
      histogramSvg({ title: 'h', xLabel: 'px', x: [0, 10], bins: 5, series: [{ name: 'a', colour: '#f00', values: [1, 2, 2, 30, Number.NaN] }] }),
      join(dir, 'hist.png'),
    );
    const box = [397, 34, 648, 360];
    await writeContactSheet(
      [
        {
          image: HANDS_JPG,
          width: 720,
          height: 382,
          region: regionAround([box]),
          gt: [{ points: EXPECTED[0], visible: EXPECTED[0].map(() => true) }],
          pred: [EXPECTED[0].map(([x, y]) => [x + 5, y] as [number, number])],
          label: 'case\nhands.jpg',
        },
      ],
      join(dir, 'sheet.png'),
      'test sheet',
    );
    for (const [f, w] of [
      ['line.png', 720],
      ['hist.png', 720],
      ['sheet.png', 268],
    ] as const) {
      const meta = await sharp(join(dir, f)).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBe(w);
    }
    // the tile shows the hand: its centre pixel is not the black padding
    const { data } = await sharp(join(dir, 'sheet.png'))
      .extract({ left: 6 + 128, top: 44 + 128, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0] + data[1] + data[2]).toBeGreaterThan(100);
  });
});
