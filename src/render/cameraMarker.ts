import { BufferGeometry, Float32BufferAttribute, LineBasicMaterial, LineSegments } from 'three';

/**
 * The source camera in the orbit view: a small wire pyramid at the origin, opening down -z
 * (three's frame, where the hands lie at negative z), with a horizontal field of view `fovDegrees`
 * and the given aspect ratio. `depth` in metres.
 */
export function createCameraMarker(fovDegrees = 60, aspect = 4 / 3, depth = 0.05): LineSegments {
  const hw = depth * Math.tan((fovDegrees * Math.PI) / 360);
  const hh = hw / aspect;
  const c = [
    [-hw, hh, -depth],
    [hw, hh, -depth],
    [hw, -hh, -depth],
    [-hw, -hh, -depth],
  ];
  const pts: number[] = [];
  for (let i = 0; i < 4; i++) pts.push(0, 0, 0, ...c[i], ...c[i], ...c[(i + 1) % 4]);
  // a tick on the top edge says which way is up
  pts.push(-hw * 0.3, hh, -depth, 0, hh * 1.4, -depth, 0, hh * 1.4, -depth, hw * 0.3, hh, -depth);
  const g = new BufferGeometry();
  g.setAttribute('position', new Float32BufferAttribute(pts, 3));
  return new LineSegments(g, new LineBasicMaterial({ color: 0x9aa0ad }));
}
