import type { Vec3 } from './math';

/**
 * Pinhole camera of the source image: camera frame x right, y down, z forward (metres); image
 * pixels x right, y down with (0, 0) the top-left corner of the top-left pixel. Square pixels, no
 * distortion, principal point at the image centre.
 */
export interface PinholeCamera {
  /** Focal lengths in pixels. */
  fx: number;
  fy: number;
  /** Principal point in pixels. */
  cx: number;
  cy: number;
  width: number;
  height: number;
}

/**
 * Default horizontal field of view (degrees) when the source does not say: 60 degrees, the
 * common webcam lens (a 1080p laptop / USB webcam is 55-70 degrees horizontally; phone main cameras
 * about 65). The depth estimate scales with 1 / tan(fov / 2): a 10 degree error is about 15 % in depth,
 * but the projection of the mesh onto the image does not depend on it.
 */
export const DEFAULT_FOV_DEGREES = 60;

/** Camera of a width x height image with the given horizontal field of view. */
export function cameraFromFov(width: number, height: number, fovDegrees = DEFAULT_FOV_DEGREES): PinholeCamera {
  if (!(fovDegrees > 0 && fovDegrees < 180)) throw new Error(`field of view must be in (0, 180) degrees, got ${fovDegrees}`);
  const f = width / 2 / Math.tan((fovDegrees * Math.PI) / 360);
  return { fx: f, fy: f, cx: width / 2, cy: height / 2, width, height };
}

/** Image pixel of a camera-frame point. */
export function projectPoint(cam: PinholeCamera, p: ArrayLike<number>, offset = 0): [number, number] {
  const z = p[offset + 2];
  return [cam.cx + (cam.fx * p[offset]) / z, cam.cy + (cam.fy * p[offset + 1]) / z];
}

/** Projects camera-frame points [N * 3] to pixels [N * 2]. */
export function projectPoints(cam: PinholeCamera, xyz: ArrayLike<number>, out = new Float32Array((xyz.length / 3) * 2)): Float32Array {
  for (let i = 0, n = xyz.length / 3; i < n; i++) {
    const z = xyz[3 * i + 2];
    out[2 * i] = cam.cx + (cam.fx * xyz[3 * i]) / z;
    out[2 * i + 1] = cam.cy + (cam.fy * xyz[3 * i + 1]) / z;
  }
  return out;
}

/**
 * The translation t (camera frame, metres) that best projects the root-relative 3D points
 * `rel` (camera axes) onto the pixels `uv`: least squares on u (Z + tz) = fx (X + tx) + cx (Z + tz)
 * (linear in t), reweighted twice by 1 / depth so it minimises the pixel error. Returns null
 * when the points are degenerate or the hand would be behind the camera.
 */
export function solveTranslation(
  cam: PinholeCamera,
  rel: readonly Vec3[],
  uv: ReadonlyArray<readonly [number, number]>,
  weights?: readonly number[],
): Vec3 | null {
  let t: Vec3 | null = null;
  for (let pass = 0; pass < 3; pass++) {
    const A = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const b = [0, 0, 0];
    for (let i = 0; i < rel.length; i++) {
      const w0 = weights ? weights[i] : 1;
      if (!(w0 > 0)) continue;
      const depth = t ? Math.max(1e-3, rel[i][2] + t[2]) : 1;
      const w = w0 / (depth * depth);
      const du = uv[i][0] - cam.cx;
      const dv = uv[i][1] - cam.cy;
      // rows: [fx, 0, -du] t = du Z - fx X ; [0, fy, -dv] t = dv Z - fy Y
      const rows: Array<[number[], number]> = [
        [[cam.fx, 0, -du], du * rel[i][2] - cam.fx * rel[i][0]],
        [[0, cam.fy, -dv], dv * rel[i][2] - cam.fy * rel[i][1]],
      ];
      for (const [a, y] of rows) {
        for (let r = 0; r < 3; r++) {
          b[r] += w * a[r] * y;
          for (let c = 0; c < 3; c++) A[3 * r + c] += w * a[r] * a[c];
        }
      }
    }
    const x = solve3(A, b);
    if (!x || !(x[2] > 0)) return null;
    t = x;
  }
  return t;
}

function solve3(A: number[], b: number[]): Vec3 | null {
  const [a, bb, c, d, e, f, g, h, i] = A;
  const det = a * (e * i - f * h) - bb * (d * i - f * g) + c * (d * h - e * g);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12 * Math.max(1, Math.abs(a * e * i))) return null;
  const inv = [e * i - f * h, c * h - bb * i, bb * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, bb * g - a * h, a * e - bb * d];
  return [
    (inv[0] * b[0] + inv[1] * b[1] + inv[2] * b[2]) / det,
    (inv[3] * b[0] + inv[4] * b[1] + inv[5] * b[2]) / det,
    (inv[6] * b[0] + inv[7] * b[1] + inv[8] * b[2]) / det,
  ];
}
