import { cameraFromFov, projectPoints } from '../core/handModel/camera';
import type { HandResult } from '../core/types';

/**
 * An SVG drawing of the fitted hand meshes over a width x height image: every front-facing
 * triangle, projected with the pinhole camera the mesh was fitted with, filled semi-transparent
 * with simple Lambert shading (light from the camera), far triangles first, thin edges. The
 * camera comes from the image size and the field of view alone, so it is right for the original
 * image even when the hands were found on a downscaled copy. sharp composites it like
 * handsOverlaySvg.
 */
export function meshOverlaySvg(hands: readonly HandResult[], triangles: (h: HandResult) => Uint16Array | undefined, width: number, height: number): string {
  const parts: string[] = [];
  const u = Math.max(1, Math.max(width, height) / 500);
  for (const h of hands) {
    const tri = triangles(h);
    if (!h.mesh || !tri) continue;
    const v = h.mesh.vertices;
    const cam = cameraFromFov(width, height, h.mesh.fovDegrees);
    const uv = projectPoints(cam, v);
    const base = h.mesh.handedness === 'right' ? [80, 170, 255] : [255, 140, 90];
    const faces: Array<{ z: number; d: string }> = [];
    for (let t = 0; t < tri.length; t += 3) {
      const [a, b, c] = [tri[t], tri[t + 1], tri[t + 2]];
      const e1 = [v[3 * b] - v[3 * a], v[3 * b + 1] - v[3 * a + 1], v[3 * b + 2] - v[3 * a + 2]];
      const e2 = [v[3 * c] - v[3 * a], v[3 * c + 1] - v[3 * a + 1], v[3 * c + 2] - v[3 * a + 2]];
      const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
      const centre = [0, 1, 2].map((k) => (v[3 * a + k] + v[3 * b + k] + v[3 * c + k]) / 3);
      // facing the camera: the normal points back towards the eye (counter-clockwise from outside)
      const facing = -(n[0] * centre[0] + n[1] * centre[1] + n[2] * centre[2]);
      if (facing <= 0) continue;
      const shade = 0.35 + 0.65 * Math.min(1, facing / (Math.hypot(...n) * Math.hypot(...centre)));
      const col = base.map((x) => Math.round(x * shade)).join(',');
      const pts = [a, b, c].map((i) => `${uv[2 * i].toFixed(1)},${uv[2 * i + 1].toFixed(1)}`).join(' ');
      faces.push({
        z: centre[2],
        d: `<polygon points="${pts}" fill="rgb(${col})" fill-opacity="0.55" stroke="rgb(${col})" stroke-opacity="0.8" stroke-width="${(0.3 * u).toFixed(2)}"/>`,
      });
    }
    faces.sort((p, q) => q.z - p.z);
    for (const f of faces) parts.push(f.d);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
