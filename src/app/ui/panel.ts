import GUI from 'lil-gui';
import type { LandmarkVariant } from '../../core/config';
import { LAYER_NAMES, type LayerName } from '../../render/layerNames';

export interface PanelState {
  layers: Record<LayerName, boolean>;
  mirror: boolean;
  maxHands: number;
  landmarkModel: LandmarkVariant;
  tracking: boolean;
  smoothing: boolean;
}

export interface PanelEvents {
  onLayer(name: LayerName, visible: boolean): void;
  onMirror(mirrored: boolean): void;
  /** maxHands, landmark model, tracking or smoothing changed. */
  onOptions(): void;
}

const LAYER_LABELS: Record<LayerName, string> = { keypoints: 'Keypoints', skeleton: 'Skeleton', boxes: 'Boxes', labels: 'Labels' };

/** The lil-gui panel: layer toggles and pipeline options, editing `state` in place. */
export function createPanel(container: HTMLElement, state: PanelState, events: PanelEvents): GUI {
  const gui = new GUI({ container, title: 'Layers and options' });
  const layers = gui.addFolder('Layers');
  for (const name of LAYER_NAMES) {
    layers.add(state.layers, name).name(LAYER_LABELS[name]).onChange((v: boolean) => events.onLayer(name, v));
  }
  const options = gui.addFolder('Options');
  options.add(state, 'mirror').name('Selfie mirror').onChange((v: boolean) => events.onMirror(v));
  options.add(state, 'maxHands', 1, 4, 1).name('Max hands').onFinishChange(() => events.onOptions());
  options.add(state, 'landmarkModel', ['full', 'lite']).name('Landmark model').onChange(() => events.onOptions());
  options.add(state, 'tracking').name('Tracking (video)').onChange(() => events.onOptions());
  options.add(state, 'smoothing').name('Smoothing (video)').onChange(() => events.onOptions());
  return gui;
}
