import { qualityConfig, type DeepPartial, type HeadsConfig, type MeshConfig, type PipelineConfig, type Quality } from '../core/config';
import type { ToWorker } from './worker/protocol';
import type { PanelState } from './ui/panel';

/** The optional pipeline stages the page switches with its layers. */
export interface Stages {
  mesh: Pick<MeshConfig, 'enabled'>;
  heads: Pick<HeadsConfig, 'enabled'>;
}

/**
 * The stages the page wants for the panel's settings and the kind of source shown:
 *
 * - the mesh is fitted only while someone looks at it (the Mesh layer or the 3D view);
 * - the multi-task heads run while the Mask or Heat maps layer is shown, and on stills with "Best
 *   quality on photos" (qualityConfig 'best': their fused keypoints), only with the full landmark
 *   model (they read its features; the panel disables their controls with 'lite').
 */
export function wantedStages(state: PanelState, live: boolean): Stages {
  // video and stills alike: the fit stops once converged (a tracked frame after ~8 iterations from
  // the previous frame's fit); a fixed 4 on video left re-detected hands up to 46 px off the keypoints
  const mesh = { enabled: state.layers.mesh || state.view3d };
  const shown = (state.layers.mask || state.layers.heatmaps) && state.landmarkModel === 'full';
  const quality: Quality = !live && state.bestOnPhotos ? 'best' : 'fast';
  // the page takes the heads' part of 'best' (refined 2D keypoints); the mesh still runs only while
  // the Mesh layer or the 3D view shows it
  const heads = { enabled: shown || (qualityConfig(quality, state.landmarkModel, 'still').heads?.enabled ?? false) };
  return { mesh, heads };
}

/** What StageSync reads and calls: the page's state, and the way to the pipeline. */
export interface StageSyncDeps {
  /** The stages wanted now (see wantedStages). */
  wanted: () => Stages;
  /** Whether every hand of the result shown carries a mask and heat maps. */
  resultHasHeads: () => boolean;
  /** To the inference side ('setConfig'). */
  send: (msg: ToWorker) => void;
  /** Settings went out (the HUD shows whether the heads run). */
  onSent: (stages: Stages) => void;
}

/**
 * Which optional stages (mesh, heads) the pipeline was last told to run, and whether the still
 * shown must be analysed again once the pipeline confirms the settings sent (a stage was turned
 * on, an option changed). Turning a stage off needs no new analysis: its layer hides.
 */
export class StageSync {
  private sent: Stages | null = null;
  private stillStale = false;

  constructor(private readonly deps: StageSyncDeps) {}

  /** 'init' carries every setting: nothing waits for a confirmation ('ready' analyses the still). */
  initSent(): void {
    this.record(this.deps.wanted(), false);
  }

  /** Sends every setting (max hands, landmark model, tracking or smoothing changed). */
  sendAll(config: DeepPartial<PipelineConfig>): void {
    this.record(this.deps.wanted(), true);
    this.deps.send({ type: 'setConfig', config });
  }

  /**
   * Sends the mesh and heads settings when they changed; true when it did. When a stage was turned
   * on, the still is analysed again on the reply.
   */
  sync(): boolean {
    return this.syncStages(false);
  }

  /**
   * sync() for a still just shown: when settings go out, the still is analysed on their
   * confirmation (analysed now, it would get the old ones); false: analyse it now.
   */
  syncForNewStill(): boolean {
    return this.syncStages(true);
  }

  /** A new source: the still analysed (if any) is the new one, with the settings it gets. */
  newSource(): void {
    this.stillStale = false;
  }

  /** The pipeline confirmed the settings sent: true (once) when the still must be analysed again. */
  takeStillStale(): boolean {
    const stale = this.stillStale;
    this.stillStale = false;
    return stale;
  }

  private syncStages(newStill: boolean): boolean {
    const next = this.deps.wanted();
    const before = this.sent;
    if (JSON.stringify(next) === JSON.stringify(before)) return false;
    const { mesh, heads } = next;
    const meshOn = mesh.enabled && !before?.mesh.enabled;
    // a still analysed with the heads keeps its masks and heat maps while they are off: turned on again, they show at once
    const headsOn = heads.enabled && !before?.heads.enabled && !this.deps.resultHasHeads();
    this.record(next, this.stillStale || meshOn || headsOn || newStill);
    this.deps.send({ type: 'setConfig', config: { mesh, heads } });
    return true;
  }

  private record(stages: Stages, stillStale: boolean): void {
    this.sent = stages;
    this.stillStale = stillStale;
    this.deps.onSent(stages);
  }
}
