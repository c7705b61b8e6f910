import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mirrorHandModel, parseHandModel, type HandModelData } from '../../src/core/handModel/asset';
import { cameraFromFov, projectPoints } from '../../src/core/handModel/camera';
import { restParams, type HandParams } from '../../src/core/handModel/params';
import { referenceVertices } from '../../src/core/handModel/reference';
import { rasteriseTriangles } from '../../src/core/handModel/silhouette';
import {
  THICKNESS_REFIT_FRAMES,
  THICKNESS_TRACK_FITS,
  fitThickness,
  inflate,
  trackThickness,
  vertexNormals,
  type ThicknessState,
} from '../../src/core/handModel/thickness';
import { imageToCrop } from '../../src/core/geometry/cropTransform';
import { referenceForward } from '../../src/core/handModel/reference';
import type { RotatedRect } from '../../src/core/geometry/rect';

const right = parseHandModel(JSON.parse(readFileSync(new URL('../../models/hand-model.json', import.meta.url), 'utf8')));
const left = mirrorHandModel(right);

/** Six times the signed volume enclosed by the triangles: positive when they are counter-clockwise seen from outside. */
function signedVolume6(v: ArrayLike<number>, t: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < t.length; i += 3) {
    const [a, b, c] = [3 * t[i], 3 * t[i + 1], 3 * t[i + 2]];
    s += v[a] * (v[b + 1] * v[c + 2] - v[b + 2] * v[c + 1]) - v[a + 1] * (v[b] * v[c + 2] - v[b + 2] * v[c]) + v[a + 2] * (v[b] * v[c + 1] - v[b + 1] * v[c]);
  }
  return s;
}

// A regular tetrahedron around the origin, counter-clockwise from outside.
const TETRA = new Float32Array([1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1]);
const TETRA_TRIS = [0, 1, 2, 0, 3, 1, 0, 2, 3, 1, 3, 2];

describe('vertexNormals / inflate', () => {
  it('gives unit normals pointing out of a closed mesh (tetrahedron: along each vertex)', () => {
    expect(signedVolume6(TETRA, TETRA_TRIS)).toBeGreaterThan(0);
    const n = vertexNormals(TETRA, TETRA_TRIS);
    for (let v = 0; v < 4; v++) {
      const p = [TETRA[3 * v], TETRA[3 * v + 1], TETRA[3 * v + 2]].map((x) => x / Math.sqrt(3));
      for (let k = 0; k < 3; k++) expect(n[3 * v + k]).toBeCloseTo(p[k], 6);
    }
    const grown = inflate(TETRA, n, Math.sqrt(3));
    for (let i = 0; i < 12; i++) expect(grown[i]).toBeCloseTo(2 * TETRA[i], 6);
  });

  it("points out of both hands' templates (their triangles are counter-clockwise from outside)", () => {
    for (const m of [right, left]) {
      expect(signedVolume6(m.vertices, m.triangles)).toBeGreaterThan(0);
      // inflating by 2 mm moves every vertex 2 mm and grows the hand's volume
      const n = vertexNormals(m.vertices, m.triangles);
      const grown = inflate(new Float32Array(m.vertices), n, 0.002);
      expect(signedVolume6(grown, m.triangles)).toBeGreaterThan(1.2 * signedVolume6(m.vertices, m.triangles));
    }
  });
});

/** A posed hand 0.4 m in front of a 640 x 480 camera, and a square ROI around its projection. */
function scene(model: HandModelData, globalScale: number) {
  const params: HandParams = {
    ...restParams(model, model.handedness),
    globalRotation: [0.3, -0.4, 0.2],
    translation: [0.02, 0.05, 0.4],
    pose: model.dofs.map((d, i) => (d.kind === 'flex' ? 0.25 * d.max * ((i % 3) / 2) : 0)),
    globalScale,
  };
  const vertices = new Float32Array(referenceVertices(model, params));
  const camera = cameraFromFov(640, 480, 60);
  const uv = projectPoints(camera, vertices);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < uv.length; i += 2) {
    x0 = Math.min(x0, uv[i]);
    x1 = Math.max(x1, uv[i]);
    y0 = Math.min(y0, uv[i + 1]);
    y1 = Math.max(y1, uv[i + 1]);
  }
  const side = 1.5 * Math.max(x1 - x0, y1 - y0);
  const roi: RotatedRect = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, width: side, height: side, rotation: 0.3 };
  const kp = referenceForward(model, params).keypoints.map((p) => projectPoints(camera, p));
  return { vertices, camera, roi, wrist: [kp[0][0], kp[0][1]] as const, middleMcp: [kp[9][0], kp[9][1]] as const };
}

/** The silhouette of `vertices` as a heads-style mask (0 / 255, size x size over `roi`), plus an optional forearm band beyond the wrist. */
function maskOf(vertices: Float32Array, triangles: ArrayLike<number>, s: ReturnType<typeof scene>, size: number, forearm = false): Uint8Array {
  const crop = { rect: s.roi, outWidth: size, outHeight: size };
  const image = projectPoints(s.camera, vertices);
  const uv = new Float32Array(image.length);
  for (let i = 0; i < image.length; i += 2) {
    const p = imageToCrop(crop, image[i], image[i + 1]);
    uv[i] = p.x;
    uv[i + 1] = p.y;
  }
  const m = rasteriseTriangles(uv, triangles, size, size);
  if (forearm) {
    // a wide band on the forearm's side of the wrist: the heads' mask covers bare forearm too
    const w = imageToCrop(crop, s.wrist[0], s.wrist[1]);
    const c = imageToCrop(crop, s.middleMcp[0], s.middleMcp[1]);
    const [ux, uy] = [(c.x - w.x) / Math.hypot(c.x - w.x, c.y - w.y), (c.y - w.y) / Math.hypot(c.x - w.x, c.y - w.y)];
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const along = (x + 0.5 - w.x) * ux + (y + 0.5 - w.y) * uy;
        const across = -(x + 0.5 - w.x) * uy + (y + 0.5 - w.y) * ux;
        if (along < 0 && along > -size / 3 && Math.abs(across) < size / 6) m[y * size + x] = 1;
      }
  }
  return m.map((b) => 255 * b);
}

describe('fitThickness', () => {
  for (const [model, globalScale, size, offsetMm] of [
    [right, 1, 224, 2.5],
    [left, 0.8, 56, 4],
    [right, 1.2, 112, 0],
  ] as const) {
    it(`recovers a ${offsetMm} mm skin offset of a ${model.handedness} hand (scale ${globalScale}) from a ${size}-cell mask with forearm`, () => {
      const s = scene(model, globalScale);
      const normals = vertexNormals(s.vertices, model.triangles);
      const truth = (offsetMm / 1000) * globalScale;
      const mask = maskOf(inflate(s.vertices, normals, truth), model.triangles, s, size, true);
      const fit = fitThickness(
        s.vertices,
        normals,
        model.triangles,
        s.camera,
        { mask: { data: mask, size, roi: s.roi }, wrist: s.wrist, middleMcp: s.middleMcp },
        globalScale,
      );
      expect(fit).toBeDefined();
      // within one candidate step (0.5 mm at template size)
      expect(Math.abs(fit!.offset - truth)).toBeLessThanOrEqual(0.0005 * globalScale + 1e-9);
      expect(fit!.iou).toBeGreaterThan(0.9);
      if (offsetMm > 0) expect(fit!.iou).toBeGreaterThan(fit!.iouAtZero);
    });
  }

  it('gives up on a mask with no hand on the fingers side of the wrist', () => {
    const s = scene(right, 1);
    const normals = vertexNormals(s.vertices, right.triangles);
    const fit = fitThickness(s.vertices, normals, right.triangles, s.camera, {
      mask: { data: new Uint8Array(56 * 56), size: 56, roi: s.roi },
      wrist: s.wrist,
      middleMcp: s.middleMcp,
    });
    expect(fit).toBeUndefined();
  });
});

describe('trackThickness (video: one thickness per track)', () => {
  it('is the running mean of the fits, then refits only every few frames once settled', () => {
    let state: ThicknessState | undefined;
    let calls = 0;
    const counted = (offset: number) => () => {
      calls++;
      return offset;
    };
    const fits = [0.002, 0.004, 0.003];
    for (let f = 0; f < fits.length; f++)
      state = trackThickness(state, () => {
        calls++;
        return fits[f];
      });
    expect(state!.offset).toBeCloseTo(0.003, 9);
    expect(state!.fits).toBe(3);
    // a mask with no hand leaves the mean alone
    expect(trackThickness(state, () => undefined)!.offset).toBe(state!.offset);
    // fill the window with 0.005s: the mean moves towards it, each fit weighing 1 / THICKNESS_TRACK_FITS once full
    calls = 0;
    for (let f = 3; f < THICKNESS_TRACK_FITS; f++) state = trackThickness(state, counted(0.005));
    expect(calls).toBe(THICKNESS_TRACK_FITS - 3);
    expect(state!.fits).toBe(THICKNESS_TRACK_FITS);
    const settled = state!.offset;
    calls = 0;
    const offsets: number[] = [];
    for (let f = 0; f < 3 * THICKNESS_REFIT_FRAMES; f++) {
      state = trackThickness(state, counted(0.001));
      offsets.push(state!.offset);
    }
    expect(calls).toBe(3);
    expect(offsets[0]).toBe(settled);
    expect(offsets.at(-1)!).toBeLessThan(settled);
    expect(offsets.at(-1)!).toBeGreaterThan(settled - (3 * (settled - 0.001)) / THICKNESS_TRACK_FITS - 1e-12);
  });

  it('starts a new track (or a still) from its own fit alone', () => {
    expect(trackThickness(undefined, () => 0.0025)).toEqual({ offset: 0.0025, fits: 1, sinceFit: 0 });
    expect(trackThickness(undefined, () => undefined)).toBeUndefined();
  });
});
