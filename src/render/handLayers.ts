import { Group } from 'three';
import type { HandResult } from '../core/types';
import { BoxesLayer } from './boxesLayer';
import { createDiscTexture } from './discTexture';
import { KeypointsLayer } from './keypointsLayer';
import { LabelsLayer } from './labelsLayer';
import { LAYER_NAMES, type LayerName } from './layerNames';
import { MeshOverlayLayer } from './meshOverlayLayer';
import type { MeshTopology } from './meshTopology';
import { SkeletonLayer } from './skeletonLayer';

/** The toggleable hand layers, updated together from one frame's hands. */
export class HandLayers {
  readonly object = new Group();
  private readonly keypoints = new KeypointsLayer(createDiscTexture());
  private readonly skeleton = new SkeletonLayer();
  private readonly boxes = new BoxesLayer();
  private readonly labels = new LabelsLayer();
  readonly mesh = new MeshOverlayLayer();
  private readonly byName: Record<LayerName, { object: { visible: boolean } }> = {
    keypoints: this.keypoints,
    skeleton: this.skeleton,
    boxes: this.boxes,
    labels: this.labels,
    mesh: this.mesh,
  };

  constructor() {
    this.mesh.object.visible = false; // off until asked for: the mesh fit costs time
    this.object.add(this.mesh.object, this.boxes.object, this.skeleton.object, this.keypoints.object, this.labels.object);
  }

  /** `width` x `height`: the analysed frame (image pixels). */
  update(hands: readonly HandResult[], width: number, height: number): void {
    this.keypoints.update(hands);
    this.skeleton.update(hands);
    this.boxes.update(hands);
    this.labels.update(hands);
    this.mesh.update(hands, width, height);
  }

  setMeshTopology(topology: MeshTopology): void {
    this.mesh.setTopology(topology);
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
