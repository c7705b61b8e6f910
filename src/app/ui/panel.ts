import GUI from 'lil-gui';
import type { LandmarkVariant } from '../../core/config';
import { LAYER_NAMES, type LayerName } from '../../render/layerNames';
import type { ExportKind } from '../export/exporter';

export interface PanelState {
  layers: Record<LayerName, boolean>;
  /** The orbitable 3D view of the fitted meshes. */
  view3d: boolean;
  mirror: boolean;
  maxHands: number;
  landmarkModel: LandmarkVariant;
  tracking: boolean;
  smoothing: boolean;
}

export interface PanelEvents {
  onLayer(name: LayerName, visible: boolean): void;
  onView3d(visible: boolean): void;
  onMirror(mirrored: boolean): void;
  /** maxHands, landmark model, tracking or smoothing changed. */
  onOptions(): void;
  onExport(kind: ExportKind): void;
}

const LAYER_LABELS: Record<LayerName, string> = { keypoints: 'Keypoints', skeleton: 'Skeleton', boxes: 'Boxes', labels: 'Labels', mesh: 'Mesh' };
const EXPORT_LABELS: Record<ExportKind, string> = { glb: 'Mesh (.glb)', obj: 'Mesh (.obj)', json: 'Result (.json)', png: 'Screenshot (.png)' };

/** The lil-gui panel: layer toggles, pipeline options and exports, editing `state` in place. */
export function createPanel(container: HTMLElement, state: PanelState, events: PanelEvents): GUI {
  const gui = new GUI({ container, title: 'Layers and options' });
  const layers = gui.addFolder('Layers');
  for (const name of LAYER_NAMES) {
    layers.add(state.layers, name).name(LAYER_LABELS[name]).onChange((v: boolean) => events.onLayer(name, v));
  }
  layers.add(state, 'view3d').name('3D view').onChange((v: boolean) => events.onView3d(v));
  const options = gui.addFolder('Options');
  options.add(state, 'mirror').name('Selfie mirror').onChange((v: boolean) => events.onMirror(v));
  options.add(state, 'maxHands', 1, 4, 1).name('Max hands').onFinishChange(() => events.onOptions());
  options.add(state, 'landmarkModel', ['full', 'lite']).name('Landmark model').onChange(() => events.onOptions());
  options.add(state, 'tracking').name('Tracking (video)').onChange(() => events.onOptions());
  options.add(state, 'smoothing').name('Smoothing (video)').onChange(() => events.onOptions());
  const exports = gui.addFolder('Export');
  const actions = Object.fromEntries((Object.keys(EXPORT_LABELS) as ExportKind[]).map((k) => [k, () => events.onExport(k)]));
  for (const k of Object.keys(EXPORT_LABELS) as ExportKind[]) exports.add(actions, k).name(EXPORT_LABELS[k]);
  return gui;
}
