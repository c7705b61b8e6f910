import { basename, extname } from 'node:path';
import { cameraFromFov } from '../core/handModel/camera';
import { HandsError } from '../core/errors';
import type { HandParams } from '../core/handModel/params';
import type { FrameResult, HandResult } from '../core/types';
import { writeFileAtomic } from './atomicWrite';
import { exportHand, handsToGlb, handsToObj } from './meshExport';

/**
 * File names of the meshes of one image: the path as given for one image with one hand;
 * otherwise `<stem>[.<image name>].hand<id>-<left|right><ext>` (image name only with several images).
 */
export function meshPathsFor(out: string, image: string, imageCount: number, hands: readonly HandResult[]): string[] {
  const ext = extname(out).toLowerCase();
  if (ext !== '.glb' && ext !== '.obj')
    throw new HandsError('unsupported-file', `--mesh ${out}: use a .glb or .obj file name`, 'Name the output file out.glb (binary glTF) or out.obj.');
  if (imageCount === 1 && hands.length === 1) return [out];
  const stem = out.slice(0, out.length - ext.length);
  const img = imageCount > 1 ? `.${basename(image).replace(/\.[^.]+$/, '')}` : '';
  return hands.map((h) => `${stem}${img}.hand${h.id}-${h.handedness}${extname(out)}`);
}

/** Writes each hand's fitted mesh to its path (GLB or OBJ by extension), each written whole or not at all (atomicWrite.ts). */
export async function writeHandMeshes(result: FrameResult, paths: readonly string[], triangles: (h: HandResult) => Uint16Array | undefined): Promise<void> {
  for (let i = 0; i < result.hands.length; i++) {
    const h = result.hands[i];
    const tri = triangles(h);
    const mesh = h.mesh;
    if (!mesh || !tri) throw new HandsError('internal', `hand ${h.id} has no fitted mesh`, 'Enable the mesh stage (config.mesh.enabled).');
    // named and coloured by the hand's label, as the page exports it (not by the model fitted)
    const hand = exportHand({ ...h, mesh }, tri);
    const path = paths[i];
    const body = path.toLowerCase().endsWith('.obj')
      ? handsToObj([hand])
      : await handsToGlb([hand], { width: result.width, height: result.height, fovDegrees: mesh.fovDegrees });
    await writeFileAtomic(path, body);
  }
}

export interface ParamsHandReport {
  id: number;
  /** The hand's handedness label; params.handedness is the model fitted (see HandMesh.handedness). */
  handedness: 'left' | 'right';
  params: HandParams;
  residualMm: number;
  residualPx: number;
  wristDepth: number;
  /** Skin offset along the normals (metres) fitted to the heads' mask, on top of what `params` pose (HandMesh.thickness). */
  thickness: number;
  /** The pinhole camera of the (original) image the mesh was placed with, pixels. */
  camera: { fx: number; fy: number; cx: number; cy: number; width: number; height: number; fovDegrees: number };
}

export interface ParamsImageReport {
  file: string;
  hands: ParamsHandReport[];
}

/** The `--params` entry of one image. */
export function paramsReport(file: string, result: FrameResult): ParamsImageReport {
  return {
    file,
    hands: result.hands
      .filter((h) => h.mesh)
      .map((h) => ({
        id: h.id,
        handedness: h.handedness,
        params: h.mesh!.params,
        residualMm: h.mesh!.residualMm,
        residualPx: h.mesh!.residualPx,
        wristDepth: h.mesh!.wristDepth,
        thickness: h.mesh!.thickness,
        camera: { ...cameraFromFov(result.width, result.height, h.mesh!.fovDegrees), fovDegrees: h.mesh!.fovDegrees },
      })),
  };
}
