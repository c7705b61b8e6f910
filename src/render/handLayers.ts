import { Group } from 'three';
import type { HandResult } from '../core/types';
import { BoxesLayer } from './boxesLayer';
import { createDiscTexture } from './discTexture';
import { HeatmapsLayer } from './heatmapsLayer';
import { KeypointsLayer } from './keypointsLayer';
import { LabelsLayer } from './labelsLayer';
import { LAYER_NAMES, type LayerName } from './layerNames';
import { MaskLayer } from './maskLayer';
import { MeshOverlayLayer } from './meshOverlayLayer';
import type { MeshTopology } from './meshTopology';
import { SkeletonLayer } from './skeletonLayer';
import { GesturesLayer } from './gesturesLayer';
import { StrokesLayer } from './strokesLayer';
import type { Stroke } from '../core/gesture/airDrawing';

/** The toggleable hand layers, updated together from one frame's hands. */
export class HandLayers {
  readonly object = new Group();
  private readonly keypoints = new KeypointsLayer(createDiscTexture());
  private readonly skeleton = new SkeletonLayer();
  private readonly boxes = new BoxesLayer();
  private readonly labels = new LabelsLayer();
  readonly mesh = new MeshOverlayLayer();
  readonly mask = new MaskLayer();
  readonly heatmaps = new HeatmapsLayer();
  private readonly gestures = new GesturesLayer();
  /** Air drawing's strokes: not a toggle of its own (the page's Air drawing option fills or empties it). */
  private readonly strokes = new StrokesLayer();
  /** The last frame's hands: a dense layer turned on draws them without waiting for the next frame. */
  private hands: readonly HandResult[] = [];
  private readonly byName: Record<LayerName, { object: { visible: boolean } }> = {
    keypoints: this.keypoints,
    skeleton: this.skeleton,
    boxes: this.boxes,
    labels: this.labels,
    mesh: this.mesh,
    mask: this.mask,
    heatmaps: this.heatmaps,
    gestures: this.gestures,
  };

  constructor() {
    // off until asked for: the mesh fit and the heads cost time
    for (const layer of [this.mesh, this.mask, this.heatmaps]) layer.object.visible = false;
    this.object.add(
      this.mask.object,
      this.heatmaps.object,
      this.mesh.object,
      this.boxes.object,
      this.skeleton.object,
      this.keypoints.object,
      this.labels.object,
      this.gestures.object,
      this.strokes.object,
    );
  }

  /** `width` x `height`: the analysed frame (image pixels). */
  update(hands: readonly HandResult[], width: number, height: number): void {
    this.keypoints.update(hands);
    this.skeleton.update(hands);
    this.boxes.update(hands);
    this.labels.update(hands);
    this.gestures.update(hands);
    this.mesh.update(hands, width, height);
    this.hands = hands;
    // the dense maps are copied into textures only while they are shown
    if (this.mask.object.visible) this.mask.update(hands);
    if (this.heatmaps.object.visible) this.heatmaps.update(hands);
  }

  /** A keypoint index (KEYPOINT_NAMES order) for the heat-map layer, or -1 for the maximum over all 21. */
  setHeatmapKeypoint(index: number): void {
    this.heatmaps.setKeypoint(index);
  }

  /** Air drawing's strokes (source-image pixels); [] clears them. */
  setStrokes(strokes: readonly Stroke[]): void {
    this.strokes.update(strokes);
  }

  setMeshTopology(topology: MeshTopology): void {
    this.mesh.setTopology(topology);
  }

  setVisible(name: LayerName, visible: boolean): void {
    this.byName[name].object.visible = visible;
    if (visible && name === 'mask') this.mask.update(this.hands);
    if (visible && name === 'heatmaps') this.heatmaps.update(this.hands);
  }

  isVisible(name: LayerName): boolean {
    return this.byName[name].object.visible;
  }

  /** Names of the layers now shown, e.g. for a data attribute tests can read. */
  visibleNames(): LayerName[] {
    return LAYER_NAMES.filter((n) => this.isVisible(n));
  }

  setResolution(width: number, height: number): void {
    this.skeleton.setResolution(width, height);
    this.boxes.setResolution(width, height);
    this.strokes.setResolution(width, height);
  }
}
