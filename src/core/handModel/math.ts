/**
 * Small plain-TS 3D helpers for the hand model's reference implementation, the analytic
 * initialisation and the asset builder. Vectors are [x, y, z]; 3x3 matrices are row-major
 * arrays of 9 numbers.
 */
export type Vec3 = [number, number, number];
export type Mat3 = number[];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const normalize = (a: Vec3): Vec3 => {
  const n = norm(a);
  return n > 0 ? scale(a, 1 / n) : [0, 0, 0];
};
/** The part of `a` perpendicular to the unit vector `d`. */
export const reject = (a: Vec3, d: Vec3): Vec3 => sub(a, scale(d, dot(a, d)));

export const identity3 = (): Mat3 => [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function matMul3(a: Mat3, b: Mat3): Mat3 {
  const o = new Array<number>(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) o[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
  return o;
}

export const transpose3 = (a: Mat3): Mat3 => [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];

export const apply3 = (m: Mat3, v: Vec3): Vec3 => [
  m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
  m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
  m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
];

/** Rotation by `angle` (radians) about the unit `axis` (Rodrigues). */
export function axisAngleMatrix(axis: Vec3, angle: number): Mat3 {
  const [x, y, z] = axis;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}

/** Rotation matrix of an axis-angle vector (direction = axis, length = angle in radians). */
export function rotationFromVector(r: Vec3): Mat3 {
  const angle = norm(r);
  return angle < 1e-12 ? identity3() : axisAngleMatrix(scale(r, 1 / angle), angle);
}

/** Axis-angle vector of a rotation matrix (angle in [0, pi]). */
export function vectorFromRotation(m: Mat3): Vec3 {
  const cos = Math.min(1, Math.max(-1, (m[0] + m[4] + m[8] - 1) / 2));
  const angle = Math.acos(cos);
  if (angle < 1e-9) return [0, 0, 0];
  if (Math.PI - angle < 1e-4) {
    // near pi: axis from the diagonal of (R + I) / 2 = a a^T
    const xx = Math.max(0, (m[0] + 1) / 2);
    const yy = Math.max(0, (m[4] + 1) / 2);
    const zz = Math.max(0, (m[8] + 1) / 2);
    let a: Vec3;
    if (xx >= yy && xx >= zz) a = [Math.sqrt(xx), (m[1] + m[3]) / (4 * Math.sqrt(xx)), (m[2] + m[6]) / (4 * Math.sqrt(xx))];
    else if (yy >= zz) a = [(m[1] + m[3]) / (4 * Math.sqrt(yy)), Math.sqrt(yy), (m[5] + m[7]) / (4 * Math.sqrt(yy))];
    else a = [(m[2] + m[6]) / (4 * Math.sqrt(zz)), (m[5] + m[7]) / (4 * Math.sqrt(zz)), Math.sqrt(zz)];
    return scale(normalize(a), angle);
  }
  const a: Vec3 = [m[7] - m[5], m[2] - m[6], m[3] - m[1]];
  return scale(a, angle / (2 * Math.sin(angle)));
}

/** Rotation whose columns are the given orthonormal axes. */
export const fromColumns = (x: Vec3, y: Vec3, z: Vec3): Mat3 => [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]];

/** Signed angle from `a` to `b` about the unit `axis`, both projected onto the plane normal to it. */
export function signedAngle(a: Vec3, b: Vec3, axis: Vec3): number {
  const pa = reject(a, axis);
  const pb = reject(b, axis);
  return Math.atan2(dot(cross(pa, pb), axis), dot(pa, pb));
}
