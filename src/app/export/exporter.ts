import type { FrameResult } from '../../core/types';
import type { ExportHand, MeshedHand } from '../../render/meshExport';
import type { MeshTopology } from '../../render/meshTopology';
import { downloadBlob } from './download';
import { maskPng } from './maskPng';
import { resultToJson } from './resultJson';

export type ExportKind = 'glb' | 'obj' | 'json' | 'mask' | 'png';

/** What an export is made from: a deep copy of the latest result, taken when the button is pressed. */
export interface ExportSnapshot {
  result: FrameResult | null;
  topology: MeshTopology | null;
  /** File-name stem of the source ("hands" for hands.jpg, "camera-…" for the webcam). */
  stem: string;
}

/** Why an export cannot be made now: a message for the user. */
export class NothingToExport extends Error {}

const NO_HAND = 'No hand to export yet: open an image or a video, or start the camera, and wait for a hand to be found.';
const NO_MESH = 'No hand mesh yet: turn on the Mesh layer (or the 3D view), then export again.';
const NO_MASK = 'No hand mask yet: turn on the Mask (or Heat maps) layer, with the full landmark model, then export again.';

/** The mesh exporter (three's glTF and OBJ exporters), loaded only when a mesh file is asked for. */
const meshExport = () => import('../../render/meshExport');

/** The snapshot's hands with a mesh, as the exporter takes them; NothingToExport (before loading it) when there are none. */
async function meshHands(s: ExportSnapshot): Promise<ExportHand[]> {
  if (!s.result || s.result.hands.length === 0) throw new NothingToExport(NO_HAND);
  const topology = s.topology;
  const hands = s.result.hands.filter((h): h is MeshedHand => h.mesh !== undefined);
  if (!topology || hands.length === 0) throw new NothingToExport(NO_MESH);
  const { exportHand } = await meshExport();
  return hands.map((h) => exportHand(h, topology.triangles[h.mesh.handedness]));
}

/** Builds the file of `kind` from the snapshot and downloads it; returns its name. PNGs come from `screenshot`. */
export async function exportSnapshot(kind: ExportKind, s: ExportSnapshot, screenshot: () => Promise<Blob>): Promise<string> {
  let blob: Blob;
  let name: string;
  switch (kind) {
    case 'glb': {
      const hands = await meshHands(s);
      const r = s.result!;
      const glb = await (await meshExport()).handsToGlb(hands, { width: r.width, height: r.height, fovDegrees: r.hands.find((h) => h.mesh)!.mesh!.fovDegrees });
      blob = new Blob([glb], { type: 'model/gltf-binary' });
      name = `${s.stem}.hands.glb`;
      break;
    }
    case 'obj': {
      const hands = await meshHands(s);
      blob = new Blob([(await meshExport()).handsToObj(hands)], { type: 'model/obj' });
      name = `${s.stem}.hands.obj`;
      break;
    }
    case 'json':
      if (!s.result || s.result.hands.length === 0) throw new NothingToExport(NO_HAND);
      blob = new Blob([resultToJson(s.result, s.stem)], { type: 'application/json' });
      name = `${s.stem}.hands.json`;
      break;
    case 'mask':
      if (!s.result || s.result.hands.length === 0) throw new NothingToExport(NO_HAND);
      if (!s.result.hands.some((h) => h.mask)) throw new NothingToExport(NO_MASK);
      blob = await maskPng(s.result);
      name = `${s.stem}.mask.png`;
      break;
    case 'png':
      blob = await screenshot();
      name = `${s.stem}.view.png`;
      break;
  }
  downloadBlob(blob, name);
  return name;
}
