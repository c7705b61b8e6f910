/**
 * Our results' camera frame (x right, y down, z forward, metres) to three.js's y-up frame with
 * the camera at the origin looking down -z (glTF's convention too): a 180 degree turn about x,
 * (x, y, z) -> (x, -y, -z). A proper rotation, so triangle winding and normals keep their sense.
 */
export function cameraToThree(xyz: ArrayLike<number>, out: Float32Array, count = xyz.length / 3): void {
  for (let i = 0; i < 3 * count; i += 3) {
    out[i] = xyz[i];
    out[i + 1] = -xyz[i + 1];
    out[i + 2] = -xyz[i + 2];
  }
}
