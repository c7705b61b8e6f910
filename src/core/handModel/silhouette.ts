import { projectPoints, type PinholeCamera } from './camera';

/**
 * The silhouette of a mesh in an image: every pixel whose centre lies inside a projected triangle
 * (either winding) is set to 1 in `out` (width x height, row-major). Vertices behind the camera
 * (z <= 0) drop their triangles. What `hands eval` needs to score the mesh's silhouette IoU in Node
 * (no WebGL there).
 */
export function meshSilhouette(
  camera: PinholeCamera,
  vertices: Float32Array,
  triangles: ArrayLike<number>,
  width: number,
  height: number,
  out = new Uint8Array(width * height),
): Uint8Array {
  const uv = projectPoints(camera, vertices);
  return rasteriseTriangles(uv, triangles, width, height, out, (v) => vertices[3 * v + 2] > 0);
}

/**
 * Sets to 1 every pixel of `out` (width x height) whose centre (x + 0.5, y + 0.5) lies inside a
 * triangle of 2D points `uv` [x0, y0, x1, y1, ...] (either winding); `visible(v)` false drops the
 * triangles of vertex v. Plain bounding-box + edge-function rasterisation, written here because no
 * small maintained library rasterises triangles into a typed array.
 */
export function rasteriseTriangles(
  uv: ArrayLike<number>,
  triangles: ArrayLike<number>,
  width: number,
  height: number,
  out = new Uint8Array(width * height),
  visible: (vertex: number) => boolean = () => true,
): Uint8Array {
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t];
    const b = triangles[t + 1];
    const c = triangles[t + 2];
    if (!visible(a) || !visible(b) || !visible(c)) continue;
    const ax = uv[2 * a];
    const ay = uv[2 * a + 1];
    const bx = uv[2 * b];
    const by = uv[2 * b + 1];
    const cx = uv[2 * c];
    const cy = uv[2 * c + 1];
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy)));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by, cy)));
    const s = area > 0 ? 1 : -1;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const w0 = s * ((bx - px) * (cy - py) - (by - py) * (cx - px));
        const w1 = s * ((cx - px) * (ay - py) - (cy - py) * (ax - px));
        const w2 = s * ((ax - px) * (by - py) - (ay - py) * (bx - px));
        if (w0 >= 0 && w1 >= 0 && w2 >= 0) out[y * width + x] = 1;
      }
    }
  }
  return out;
}
