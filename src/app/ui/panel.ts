import GUI, { type Controller } from 'lil-gui';
import type { LandmarkVariant } from '../../core/config';
import { KEYPOINT_NAMES, type KeypointName } from '../../core/keypoints';
import { HEADS_LAYERS, LAYER_NAMES, type LayerName } from '../../render/layerNames';
import type { ExportKind } from '../export/exporter';

export interface PanelState {
  layers: Record<LayerName, boolean>;
  /** What the heat-map layer shows: one keypoint's map, or the maximum over all 21. */
  heatmapKeypoint: HeatmapChoice;
  /** The orbitable 3D view of the fitted meshes. */
  view3d: boolean;
  mirror: boolean;
  maxHands: number;
  landmarkModel: LandmarkVariant;
  tracking: boolean;
  smoothing: boolean;
  /** Run the multi-task heads on every still (qualityConfig 'best'), not only while their layers show. */
  bestOnPhotos: boolean;
  /** Video: a pinch draws with the pinched fingertips, an open palm clears (AirDrawing). */
  airDrawing: boolean;
}

export type HeatmapChoice = 'all' | KeypointName;
export const HEATMAP_CHOICES: readonly HeatmapChoice[] = ['all', ...KEYPOINT_NAMES];

export interface PanelEvents {
  onLayer(name: LayerName, visible: boolean): void;
  onHeatmapKeypoint(choice: HeatmapChoice): void;
  onView3d(visible: boolean): void;
  onMirror(mirrored: boolean): void;
  /** maxHands, landmark model, tracking, smoothing or best quality on photos changed. */
  onOptions(): void;
  onAirDrawing(on: boolean): void;
  onExport(kind: ExportKind): void;
}

const LAYER_LABELS: Record<LayerName, string> = {
  keypoints: 'Keypoints',
  skeleton: 'Skeleton',
  boxes: 'Boxes',
  labels: 'Labels',
  mesh: 'Mesh',
  mask: 'Mask',
  heatmaps: 'Heat maps',
  gestures: 'Gestures',
};
const EXPORT_LABELS: Record<ExportKind, string> = {
  glb: 'Mesh (.glb)',
  obj: 'Mesh (.obj)',
  json: 'Result (.json)',
  mask: 'Mask (.png)',
  png: 'Screenshot (.png)',
};
const BEST_ON_PHOTOS_TIP =
  'Photos: the multi-task heads refine the keypoints where their heat maps agree with the landmark network (about 8 % lower error on real photos; the still takes ~1.2x as long). Video: only while the Mask or Heat maps layer is shown.';
/** Why the heads' layers are off with the lite landmark model (a tooltip and a line in the panel). */
export const HEADS_NEED_FULL = 'Mask and heat maps need the full landmark model (the heads read its features): choose Landmark model "full" under Options.';

export interface Panel {
  gui: GUI;
  /** Enables or disables the Mask and Heat maps toggles (they need the full landmark model), saying why. */
  setHeadsAvailable(available: boolean): void;
}

/** The lil-gui panel: layer toggles, pipeline options and exports, editing `state` in place. */
export function createPanel(container: HTMLElement, state: PanelState, events: PanelEvents): Panel {
  const gui = new GUI({ container, title: 'Layers and options' });
  const layers = gui.addFolder('Layers');
  const headsControls: Controller[] = [];
  for (const name of LAYER_NAMES) {
    const c = layers
      .add(state.layers, name)
      .name(LAYER_LABELS[name])
      .onChange((v: boolean) => events.onLayer(name, v));
    if (HEADS_LAYERS.includes(name)) headsControls.push(c);
    if (name === 'heatmaps') {
      const pick = layers
        .add(state, 'heatmapKeypoint', HEATMAP_CHOICES)
        .name('Heat map of')
        .onChange((v: HeatmapChoice) => events.onHeatmapKeypoint(v));
      pick.domElement.title = 'The maximum over the 21 keypoints\' heat maps ("all"), or one keypoint\'s';
      headsControls.push(pick);
    }
  }
  const headsNote = document.createElement('div');
  headsNote.className = 'panel-note';
  headsNote.textContent = HEADS_NEED_FULL;
  headsNote.hidden = true;
  layers.$children.append(headsNote);
  layers
    .add(state, 'view3d')
    .name('3D view')
    .onChange((v: boolean) => events.onView3d(v));
  const options = gui.addFolder('Options');
  options
    .add(state, 'mirror')
    .name('Selfie mirror')
    .onChange((v: boolean) => events.onMirror(v));
  options
    .add(state, 'maxHands', 1, 4, 1)
    .name('Max hands')
    .onFinishChange(() => events.onOptions());
  options
    .add(state, 'landmarkModel', ['full', 'lite'])
    .name('Landmark model')
    .onChange(() => events.onOptions());
  options
    .add(state, 'tracking')
    .name('Tracking (video)')
    .onChange(() => events.onOptions());
  options
    .add(state, 'smoothing')
    .name('Smoothing (video)')
    .onChange(() => events.onOptions());
  const best = options
    .add(state, 'bestOnPhotos')
    .name('Best quality on photos')
    .onChange(() => events.onOptions());
  best.domElement.title = BEST_ON_PHOTOS_TIP;
  headsControls.push(best);
  const draw = options
    .add(state, 'airDrawing')
    .name('Air drawing (video)')
    .onChange((v: boolean) => events.onAirDrawing(v));
  draw.domElement.title = 'Pinch thumb and index to draw in the air, lift to stop; hold an open palm to clear. Needs tracking (video or camera).';
  const exports = gui.addFolder('Export');
  const actions = Object.fromEntries((Object.keys(EXPORT_LABELS) as ExportKind[]).map((k) => [k, () => events.onExport(k)]));
  for (const k of Object.keys(EXPORT_LABELS) as ExportKind[]) exports.add(actions, k).name(EXPORT_LABELS[k]);
  const setHeadsAvailable = (available: boolean) => {
    for (const c of headsControls) {
      c.disable(!available);
      c.domElement.classList.toggle('needs-full-model', !available);
      if (c.property === 'bestOnPhotos') c.domElement.title = available ? BEST_ON_PHOTOS_TIP : HEADS_NEED_FULL;
      else if (c.property !== 'heatmapKeypoint')
        c.domElement.title = available ? 'Runs the multi-task heads (their time is part of the landmarks stage)' : HEADS_NEED_FULL;
    }
    headsNote.hidden = available;
  };
  setHeadsAvailable(state.landmarkModel === 'full');
  return { gui, setHeadsAvailable };
}
