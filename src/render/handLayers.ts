import { Group } from 'three';
import type { HandResult } from '../core/types';
import { BoxesLayer } from './boxesLayer';
import { createDiscTexture } from './discTexture';
import { KeypointsLayer } from './keypointsLayer';
import { LabelsLayer } from './labelsLayer';
import { LAYER_NAMES, type LayerName } from './layerNames';
import { SkeletonLayer } from './skeletonLayer';

/** The toggleable hand layers, updated together from one frame's hands. */
export class HandLayers {
  readonly object = new Group();
  private readonly keypoints = new KeypointsLayer(createDiscTexture());
  private readonly skeleton = new SkeletonLayer();
  private readonly boxes = new BoxesLayer();
  private readonly labels = new LabelsLayer();
  private readonly byName: Record<LayerName, { object: { visible: boolean } }> = {
    keypoints: this.keypoints,
    skeleton: this.skeleton,
    boxes: this.boxes,
    labels: this.labels,
  };

  constructor() {
    this.object.add(this.boxes.object, this.skeleton.object, this.keypoints.object, this.labels.object);
  }

  update(hands: readonly HandResult[]): void {
    this.keypoints.update(hands);
    this.skeleton.update(hands);
    this.boxes.update(hands);
    this.labels.update(hands);
  }

  setVisible(name: LayerName, visible: boolean): void {
    this.byName[name].object.visible = visible;
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
  }
}
