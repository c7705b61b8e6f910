import { BufferAttribute, BufferGeometry, Mesh, MeshStandardMaterial, PerspectiveCamera, Scene } from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';
import { OBJExporter } from 'three/examples/jsm/exporters/OBJExporter.js';
import type { HandMesh, Handedness, HandResult } from '../core/types';
import { cameraToThree } from './cameraFrame';
import { HAND_COLORS } from './palette';

/**
 * Fitted hand meshes as files, with three.js's own exporters (binary glTF, OBJ): the one exporter
 * of the page's Export menu (which loads this module only when a file is asked for) and of the
 * command line's `hands analyze --mesh` (cli/meshExport.ts), so a hand gives the same file, in the
 * layers' colours (HAND_COLORS), from both. No DOM: in Node, GLTFExporter only lacks the
 * FileReader it reads its binary output with, which the CLI supplies.
 *
 * Coordinates: metres, y up, the source camera at the origin looking down -z (glTF's convention:
 * our camera frame turned 180 degrees about x, cameraToThree); the GLB also holds that camera, so
 * a glTF viewer looking through it sees the mesh where the hand was in the picture. Exports are
 * data: never mirrored.
 */
export interface ExportHand {
  /** Node name, e.g. "hand1-right". */
  name: string;
  /** Camera-frame vertices [V * 3] (HandMesh.vertices). */
  vertices: Float32Array;
  triangles: Uint16Array;
  /** Colour: the hand's label. */
  handedness: Handedness;
}

/** A hand with its fitted mesh. */
export type MeshedHand = HandResult & { mesh: HandMesh };

/**
 * A hand as the exporters take it, named and coloured by its label (as the layers colour it);
 * `triangles`: those of the model fitted (HandMesh.handedness).
 */
export function exportHand(hand: MeshedHand, triangles: Uint16Array): ExportHand {
  return { name: `hand${hand.id}-${hand.handedness}`, vertices: hand.mesh.vertices, triangles, handedness: hand.handedness };
}

export interface ExportCamera {
  width: number;
  height: number;
  /** Horizontal field of view (degrees). */
  fovDegrees: number;
}

function handScene(hands: readonly ExportHand[]): Scene {
  const scene = new Scene();
  scene.name = 'hands';
  for (const h of hands) {
    const g = new BufferGeometry();
    const p = new Float32Array(h.vertices.length);
    cameraToThree(h.vertices, p);
    g.setAttribute('position', new BufferAttribute(p, 3));
    g.setIndex(new BufferAttribute(h.triangles.slice(), 1));
    g.computeVertexNormals();
    const m = new Mesh(g, new MeshStandardMaterial({ color: HAND_COLORS[h.handedness], roughness: 0.6, metalness: 0 }));
    m.name = h.name;
    scene.add(m);
  }
  return scene;
}

function disposeScene(scene: Scene): void {
  scene.traverse((o) => {
    if (o instanceof Mesh) {
      o.geometry.dispose();
      (o.material as MeshStandardMaterial).dispose();
    }
  });
}

/** The hands (and the source camera) as a binary glTF (.glb). */
export async function handsToGlb(hands: readonly ExportHand[], camera?: ExportCamera): Promise<Uint8Array<ArrayBuffer>> {
  const scene = handScene(hands);
  if (camera) {
    const aspect = camera.width / camera.height;
    const vfov = (2 * Math.atan(Math.tan((camera.fovDegrees * Math.PI) / 360) / aspect) * 180) / Math.PI;
    const cam = new PerspectiveCamera(vfov, aspect, 0.01, 100);
    cam.name = 'source camera';
    scene.add(cam);
  }
  try {
    return new Uint8Array((await new GLTFExporter().parseAsync(scene, { binary: true })) as ArrayBuffer);
  } finally {
    disposeScene(scene);
  }
}

/** The hands as Wavefront OBJ text (one object per hand; OBJ has no colours). */
export function handsToObj(hands: readonly ExportHand[]): string {
  const scene = handScene(hands);
  try {
    return `# hands: fitted hand meshes, metres, y up, the camera at the origin looking down -z\n${new OBJExporter().parse(scene)}`;
  } finally {
    disposeScene(scene);
  }
}
