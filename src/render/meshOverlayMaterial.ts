import { Color, DoubleSide, LessEqualDepth, ShaderMaterial } from 'three';
import { OVER_PICTURE_BLENDING } from './overPictureBlending';

/**
 * Both passes run this vertex shader, so they compute bit-identical depths (three's own
 * materials multiply the matrices in another order, and the LessEqual test then flickers).
 */
const VERTEX_SHADER = /* glsl */ `
  attribute vec3 camPos;
  varying vec3 vNormal;
  varying vec3 vPos;
  void main() {
    vNormal = normal;
    vPos = camPos;
    vec4 mvPosition = modelViewMatrix * vec4(position, 1.0);
    gl_Position = projectionMatrix * mvPosition;
  }`;

/** The depth-only pre-pass: the nearest surface of every hand, no colour. */
export function createDepthPrepassMaterial(): ShaderMaterial {
  return new ShaderMaterial({
    vertexShader: VERTEX_SHADER,
    fragmentShader: /* glsl */ `void main() { gl_FragColor = vec4(0.0); }`,
    side: DoubleSide,
    colorWrite: false,
    depthWrite: true,
    depthTest: true,
  });
}

/**
 * The hand mesh drawn over the picture: `position` is (image px x, image px y, depth key) and
 * `camPos` / `normal` are the vertex and its normal in the camera frame (x right, y down, z
 * forward), so the shading is that of the real 3D hand lit from the upper left and from the
 * camera: Lambert + a little Blinn-Phong, and a darker silhouette (faces seen edge-on) for shape.
 *
 * Semi-transparent without the back of the hand showing through: a depth-only pre-pass
 * (createDepthPrepassMaterial) writes the nearest surface, then this pass blends only the fragments
 * at that depth (LessEqual, no depth write). It blends over the picture in the opaque queue
 * (OVER_PICTURE_BLENDING), so renderOrder puts it between the picture and the keypoint layers.
 */
export function createMeshOverlayMaterial(opacity: number): ShaderMaterial {
  return new ShaderMaterial({
    uniforms: { color: { value: new Color() }, opacity: { value: opacity } },
    vertexShader: VERTEX_SHADER,
    fragmentShader: /* glsl */ `
      uniform vec3 color;
      uniform float opacity;
      varying vec3 vNormal;
      varying vec3 vPos;
      void main() {
        vec3 n = normalize(vNormal);
        vec3 v = normalize(-vPos);
        // a face seen from behind (the open wrist end) is shaded as seen from its front
        if (dot(n, v) < 0.0) n = -n;
        // key light from the upper left (camera frame: y down, -z towards the camera), fill from the camera
        vec3 l = normalize(vec3(-0.55, -0.75, -0.6));
        float facing = max(dot(n, v), 0.0);
        float diffuse = max(dot(n, l), 0.0);
        float spec = pow(max(dot(n, normalize(l + v)), 0.0), 32.0);
        vec3 c = color * (0.16 + 0.62 * diffuse + 0.3 * facing) + vec3(0.3 * spec);
        // faces seen edge-on darken: the outline and the gaps between fingers read as shape
        float rim = 1.0 - facing;
        c = mix(c, color * 0.15, 0.75 * rim * rim);
        gl_FragColor = vec4(c, opacity);
        #include <colorspace_fragment>
      }`,
    side: DoubleSide,
    depthTest: true,
    depthWrite: false,
    depthFunc: LessEqualDepth,
    // a hair towards the camera, so the nearest surface always passes against its own pre-pass depth
    polygonOffset: true,
    polygonOffsetFactor: -1,
    polygonOffsetUnits: -1,
    ...OVER_PICTURE_BLENDING,
  });
}
