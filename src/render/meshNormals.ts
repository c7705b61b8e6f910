/**
 * Area-weighted vertex normals of an indexed triangle mesh, written into `out` [V * 3] in place
 * (no allocation: runs every frame). The normals point to the side from which the triangles are
 * counter-clockwise in a right-handed frame, i.e. outwards for our meshes.
 */
export function computeVertexNormals(xyz: ArrayLike<number>, triangles: ArrayLike<number>, out: Float32Array): void {
  out.fill(0);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = 3 * triangles[t];
    const b = 3 * triangles[t + 1];
    const c = 3 * triangles[t + 2];
    const e1x = xyz[b] - xyz[a],
      e1y = xyz[b + 1] - xyz[a + 1],
      e1z = xyz[b + 2] - xyz[a + 2];
    const e2x = xyz[c] - xyz[a],
      e2y = xyz[c + 1] - xyz[a + 1],
      e2z = xyz[c + 2] - xyz[a + 2];
    // e1 x e2: twice the triangle's area along its normal
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    out[a] += nx;
    out[a + 1] += ny;
    out[a + 2] += nz;
    out[b] += nx;
    out[b + 1] += ny;
    out[b + 2] += nz;
    out[c] += nx;
    out[c + 1] += ny;
    out[c + 2] += nz;
  }
  for (let i = 0; i < out.length; i += 3) {
    const len = Math.hypot(out[i], out[i + 1], out[i + 2]);
    if (len > 0) {
      out[i] /= len;
      out[i + 1] /= len;
      out[i + 2] /= len;
    }
  }
}
