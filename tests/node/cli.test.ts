import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/nodePipeline';

// The `hands` command as a user runs it (a child process), with its documented exit codes.
const BIN = new URL('../../bin/hands.mjs', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('hands analyze (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hands-cli-'));
  });

  it('prints help and exits 0 with --help, 2 with no command', () => {
    expect(run('--help').status).toBe(0);
    expect(run('--help').stdout).toMatch(/hands analyze <image/);
    expect(run().status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
  });

  it('finds both hands in hands.jpg, writes JSON and an overlay PNG', async () => {
    const json = join(dir, 'out.json');
    const png = join(dir, 'out.png');
    const r = run('analyze', `${FIXTURES}hands.jpg`, '--json', json, '--overlay', png);
    expect(r.stderr).toMatch(/2 hands/);
    expect(r.status).toBe(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.images[0].result.hands).toHaveLength(2);
    expect(out.images[0].result.hands[0].keypoints2d).toHaveLength(21);
    expect(out.images[0].result.hands[0].keypoints3d[0]).toEqual({ name: 'wrist', x: 0, y: 0, z: 0 });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 720, 382]);
  });

  it('JSON to stdout with --json -', () => {
    const r = run('analyze', `${FIXTURES}hands.jpg`, '--json', '-', '--quiet');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).images).toHaveLength(1);
  });

  it('gives clear errors and exit code 3 for unreadable inputs, and still processes the good ones', () => {
    const empty = join(dir, 'empty.jpg');
    writeFileSync(empty, '');
    const text = join(dir, 'notes.jpg');
    writeFileSync(text, 'this is not an image\n');
    const truncated = join(dir, 'truncated.jpg');
    writeFileSync(truncated, readFileSync(`${FIXTURES}hands.jpg`).subarray(0, 3000));
    const json = join(dir, 'mixed.json');
    const r = run('analyze', join(dir, 'missing.jpg'), empty, text, truncated, `${FIXTURES}hands.jpg`, '--json', json);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/missing\.jpg: no such file/);
    expect(r.stderr).toMatch(/empty\.jpg is empty/);
    expect(r.stderr).toMatch(/notes\.jpg is not an image/);
    expect(r.stderr).toMatch(/truncated\.jpg could not be decoded/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.images.map((i: { error?: { code: string } }) => i.error?.code ?? 'ok')).toEqual([
      'file-not-found',
      'empty-file',
      'unsupported-file',
      'corrupt-file',
      'ok',
    ]);
    expect(out.images[4].result.hands).toHaveLength(2);
  });

  it('rejects bad options with exit code 2', () => {
    expect(run('analyze').status).toBe(2);
    expect(run('analyze', `${FIXTURES}hands.jpg`, '--max-hands', 'zero').status).toBe(2);
    expect(run('analyze', `${FIXTURES}hands.jpg`, '--model', 'heavy').stderr).toMatch(/landmarks.variant/);
    expect(run('analyze', `${FIXTURES}hands.jpg`, '--bogus').status).toBe(2);
    const q = run('analyze', `${FIXTURES}hands.jpg`, '--quality', 'medium');
    expect(q.status).toBe(2);
    expect(q.stderr).toMatch(/--quality must be fast or best/);
  });

  it("--quality best (the default) refines the keypoints with the heads; fast is MediaPipe's path; both find both hands", () => {
    const hands = (...extra: string[]) => {
      const r = run('analyze', `${FIXTURES}hands.jpg`, '--json', '-', '--quiet', ...extra);
      expect(r.status, r.stderr).toBe(0);
      const hs = JSON.parse(r.stdout).images[0].result.hands as Array<{ keypoints2d: Array<{ x: number; y: number }> }>;
      return hs.sort((a, b) => a.keypoints2d[0].x - b.keypoints2d[0].x);
    };
    const best = hands();
    const fast = hands('--quality', 'fast');
    expect(best).toHaveLength(2);
    expect(fast).toHaveLength(2);
    // the fused keypoints stay within the gate's half (4 crop px; these ROIs are ~1.8 px per crop px)
    let moved = 0;
    for (let h = 0; h < 2; h++) {
      best[h].keypoints2d.forEach((p, i) => {
        const d = Math.hypot(p.x - fast[h].keypoints2d[i].x, p.y - fast[h].keypoints2d[i].y);
        expect(d).toBeLessThan(12);
        moved = Math.max(moved, d);
      });
    }
    expect(moved, 'the heads changed something').toBeGreaterThan(0.1);
  });

  it('exit code 4 and the file named when a model file is corrupt', () => {
    // a copy of models/ with one weight file truncated
    const models = join(dir, 'models');
    spawnSync('cp', ['-r', new URL('../../models', import.meta.url).pathname, models]);
    const bin = join(models, 'palmdetect-full.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 1000));
    const r = spawnSync(process.execPath, [BIN, 'analyze', `${FIXTURES}hands.jpg`], { encoding: 'utf8', env: { ...process.env, HANDS_MODELS_DIR: models } });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/palmdetect-full\.bin has 1000 bytes/);
    expect(existsSync(bin)).toBe(true);
  });
});
