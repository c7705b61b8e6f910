import { BufferAttribute, BufferGeometry, Mesh, MeshStandardMaterial, PerspectiveCamera, Scene } from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';
import { OBJExporter } from 'three/examples/jsm/exporters/OBJExporter.js';

/**
 * Fitted hand meshes as files, with three.js's own exporters (binary glTF, OBJ).
 *
 * Coordinates: the glTF convention (metres, y up, the camera at the origin looking down -z), i.e.
 * our camera frame (x right, y down, z forward) turned 180 degrees about x: (x, -y, -z). The GLB
 * also holds that camera (vertical field of view and aspect of the source image), so a glTF
 * viewer looking through it sees the mesh where the hand was in the photo.
 */
export interface ExportHand {
  name: string;
  /** Camera-frame vertices [V * 3] (HandMesh.vertices). */
  vertices: Float32Array;
  triangles: Uint16Array;
  handedness: 'left' | 'right';
}

export interface ExportCamera {
  width: number;
  height: number;
  /** Horizontal field of view (degrees). */
  fovDegrees: number;
}

function toGltfFrame(v: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += 3) {
    out[i] = v[i];
    out[i + 1] = -v[i + 1];
    out[i + 2] = -v[i + 2];
  }
  return out;
}

function handMesh(h: ExportHand): Mesh {
  const g = new BufferGeometry();
  g.setAttribute('position', new BufferAttribute(toGltfFrame(h.vertices), 3));
  g.setIndex(new BufferAttribute(h.triangles.slice(), 1));
  g.computeVertexNormals();
  const m = new Mesh(g, new MeshStandardMaterial({ color: h.handedness === 'right' ? 0x50aaff : 0xff8c5a, roughness: 0.6, metalness: 0 }));
  m.name = h.name;
  return m;
}

/** Node has Blob but no FileReader, which GLTFExporter uses for binary output: the part it needs. */
function ensureFileReader(): void {
  if (typeof (globalThis as { FileReader?: unknown }).FileReader !== 'undefined') return;
  class NodeFileReader {
    result: ArrayBuffer | string | null = null;
    onloadend: (() => void) | null = null;
    readAsArrayBuffer(blob: Blob): void {
      void blob.arrayBuffer().then((b) => {
        this.result = b;
        this.onloadend?.();
      });
    }
    readAsDataURL(blob: Blob): void {
      void blob.arrayBuffer().then((b) => {
        this.result = `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(b).toString('base64')}`;
        this.onloadend?.();
      });
    }
  }
  (globalThis as { FileReader?: unknown }).FileReader = NodeFileReader;
}

/** One or more hands (and the source camera) as a binary glTF (.glb). */
export async function handsToGlb(hands: readonly ExportHand[], camera?: ExportCamera): Promise<Uint8Array> {
  ensureFileReader();
  const scene = new Scene();
  scene.name = 'hands';
  for (const h of hands) scene.add(handMesh(h));
  if (camera) {
    const aspect = camera.width / camera.height;
    const vfov = (2 * Math.atan(Math.tan((camera.fovDegrees * Math.PI) / 360) / aspect) * 180) / Math.PI;
    const cam = new PerspectiveCamera(vfov, aspect, 0.01, 100);
    cam.name = 'source camera';
    scene.add(cam);
  }
  const result = await new GLTFExporter().parseAsync(scene, { binary: true });
  return new Uint8Array(result as ArrayBuffer);
}

/** One or more hands as Wavefront OBJ text. */
export function handsToObj(hands: readonly ExportHand[]): string {
  const scene = new Scene();
  for (const h of hands) scene.add(handMesh(h));
  return `# hands: fitted hand mesh, metres, y up, camera at the origin looking down -z\n${new OBJExporter().parse(scene)}`;
}
