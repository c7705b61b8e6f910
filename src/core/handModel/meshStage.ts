import type { MeshConfig } from '../config';
import type { FileSource } from '../models/fileSource';
import type { ModelManifest } from '../models/manifest';
import type { Handedness, HandResult } from '../types';
import { mirrorHandModel, type HandModelData } from './asset';
import { cameraFromFov, projectPoint, type PinholeCamera } from './camera';
import { fitHands, type FitTarget } from './fit';
import { loadHandModel } from './load';
import type { Vec3 } from './math';
import { restParams, type HandParams } from './params';
import { referenceForward } from './reference';
import { HandModelTf } from './tfModel';
import { regressedParams } from '../multitask/regressedParams';
import { fitThickness, inflate, trackThickness, vertexNormals, type ThicknessState } from './thickness';

export interface MeshStageTimings {
  /** Whole stage (all hands). */
  totalMs: number;
  /** Of which: the Levenberg-Marquardt fit, and the final skinning pass. */
  fitMs: number;
  skinMs: number;
}

/**
 * The pipeline's mesh stage: fits the parametric hand to every hand's 3D + 2D keypoints in one
 * batch and attaches `mesh` to each HandResult. On video (tracking), each track starts from its
 * previous frame's fit when that starts closer than the analytic initialisation.
 */
export class MeshStage {
  readonly right: HandModelData;
  readonly left: HandModelData;
  private readonly tfModel: HandModelTf;
  private previous = new Map<number, HandParams>();
  /** Per track: its thickness (trackThickness). */
  private thicknessByTrack = new Map<number, ThicknessState>();

  constructor(model: HandModelData) {
    this.right = model;
    this.left = mirrorHandModel(model);
    this.tfModel = new HandModelTf(model);
  }

  static async load(files: FileSource, manifest: ModelManifest): Promise<MeshStage> {
    return new MeshStage(await loadHandModel(files, manifest));
  }

  /** The template of one hand: triangles (counter-clockwise from outside), rest vertices, joints, ... */
  model(handedness: Handedness): HandModelData {
    return handedness === 'left' ? this.left : this.right;
  }

  /**
   * Fits all `hands` (in place: sets `hand.mesh`). `width` x `height`: the analysed image.
   * `tracking`: hands keep their ids across calls, so warm-start from the previous fit.
   * `regression[i]`: the heads' regressed parameter vector of hands[i] (crop axes), when they ran.
   */
  async run(
    hands: HandResult[],
    width: number,
    height: number,
    cfg: MeshConfig,
    tracking: boolean,
    regression: ReadonlyArray<Float32Array | undefined> = [],
  ): Promise<MeshStageTimings> {
    const t0 = performance.now();
    if (!tracking) this.reset();
    if (hands.length === 0) {
      this.reset();
      return { totalMs: 0, fitMs: 0, skinMs: 0 };
    }
    const camera = cameraFromFov(width, height, cfg.fovDegrees);
    const { dofs, shape } = this.right;
    const targets: FitTarget[] = hands.map((h, i) => ({
      handedness: h.handedness,
      keypoints3d: h.keypoints3d.map((k) => [k.x, k.y, k.z] as Vec3),
      keypoints2d: h.keypoints2d.map((k) => [k.x, k.y] as [number, number]),
      camera,
      previous: tracking ? this.previous.get(h.id) : undefined,
      regressed: regression[i] ? regressedParams(regression[i]!, h.roi.rotation, h.handedness, dofs.length, shape.length) : undefined,
      mask: h.mask ? { data: h.mask.data, size: h.mask.size, roi: h.roi } : undefined,
    }));
    const results = await fitHands(
      this.tfModel,
      this.right,
      targets,
      { iterations: cfg.iterations, start: cfg.start, maskWeight: cfg.maskWeight, maskCoverage: cfg.maskCoverage },
      { vertices: true },
    );
    const next = new Map<number, HandParams>();
    const nextThickness = new Map<number, ThicknessState>();
    results.forEach((r, i) => {
      const h = hands[i];
      const { vertices, thickness, state } = this.skin(h, r.params, r.vertices!, camera, cfg, tracking);
      if (state) nextThickness.set(h.id, state);
      hands[i].mesh = {
        handedness: r.params.handedness,
        vertices,
        keypoints: r.keypoints,
        params: r.params,
        residualMm: r.residualMm,
        residualPx: r.residualPx,
        wristDepth: r.params.translation[2],
        fovDegrees: cfg.fovDegrees,
        start: r.start,
        thickness,
      };
      if (tracking) next.set(hands[i].id, r.params);
    });
    this.previous = next;
    this.thicknessByTrack = nextThickness;
    return { totalMs: performance.now() - t0, fitMs: results[0].fitMs, skinMs: results[0].skinMs };
  }

  /**
   * The fitted skin of one hand: its vertices moved out by the thickness fitted to the heads' mask
   * (thickness.ts; on video the track's running mean, trackThickness); unchanged without a mask or
   * with cfg.thickness off.
   */
  private skin(
    h: HandResult,
    params: HandParams,
    vertices: Float32Array,
    camera: PinholeCamera,
    cfg: MeshConfig,
    tracking: boolean,
  ): { vertices: Float32Array; thickness: number; state?: ThicknessState } {
    if (!cfg.thickness || !h.mask) return { vertices, thickness: 0 };
    const triangles = this.model(params.handedness).triangles;
    const normals = vertexNormals(vertices, triangles);
    const [wrist, middleMcp] = [h.keypoints2d[0], h.keypoints2d[9]];
    const target = {
      mask: { data: h.mask.data, size: h.mask.size, roi: h.roi },
      wrist: [wrist.x, wrist.y] as const,
      middleMcp: [middleMcp.x, middleMcp.y] as const,
    };
    const state = trackThickness(
      tracking ? this.thicknessByTrack.get(h.id) : undefined,
      () => fitThickness(vertices, normals, triangles, camera, target, params.globalScale)?.offset,
    );
    if (!state) return { vertices, thickness: 0 };
    return { vertices: inflate(vertices, normals, state.offset), thickness: state.offset, state: tracking ? state : undefined };
  }

  /** One fit of the template's own keypoints, so first-use costs (shader compilation) do not land on a user frame. */
  async warmup(cfg: MeshConfig): Promise<void> {
    const rest = referenceForward(this.right, restParams(this.right)).keypoints;
    const camera = cameraFromFov(640, 480, cfg.fovDegrees);
    const uv = rest.map((p) => projectPoint(camera, [p[0], p[1], p[2] + 0.5]));
    await fitHands(this.tfModel, this.right, [{ handedness: 'right', keypoints3d: rest, keypoints2d: uv, camera }], { iterations: 2 }, { vertices: true });
  }

  /** Forgets the previous frame's fits (new source). */
  reset(): void {
    this.previous.clear();
    this.thicknessByTrack.clear();
  }

  dispose(): void {
    this.tfModel.dispose();
    this.reset();
  }
}
