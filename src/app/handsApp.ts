import type GUI from 'lil-gui';
import type { DeepPartial, PipelineConfig } from '../core/config';
import { HandsError } from '../core/errors';
import { KEYPOINT_NAMES, type KeypointName } from '../core/keypoints';
import { scaleFrameResult } from '../core/scaleResult';
import type { FrameResult } from '../core/types';
import { MeshView3d } from '../render/meshView3d';
import { HEADS_LAYERS } from '../render/layerNames';
import type { MeshTopology } from '../render/meshTopology';
import { OverlayView } from '../render/overlayView';
import { exportSnapshot, NothingToExport, type ExportKind } from './export/exporter';
import { captureView } from './export/viewScreenshot';
import { FrameScheduler } from './frameScheduler';
import type { PageOptions } from './pageOptions';
import { measureDenseLayers } from './layerCost';
import { SourceController, type LiveSource, type StillSource } from './sourceController';
import { StageSync, wantedStages, type Stages } from './stageSync';
import {
  publishDenseLayerCost,
  publishMeshOverlay,
  publishPictureSwitch,
  publishRestart,
  publishResult,
  publishResultStats,
  publishState,
  publishStrokes,
} from './testHooks';
import { Banner } from './ui/banner';
import { FpsMeter } from './ui/fpsMeter';
import { Hud } from './ui/hud';
import { Notice } from './ui/notice';
import { createPanel, HEADS_NEED_FULL, type HeatmapChoice, type Panel, type PanelState } from './ui/panel';
import { ProgressBar } from './ui/progressBar';
import { InferenceConnection } from './worker/inferenceConnection';
import type { ErrorPayload, FromWorker } from './worker/protocol';
import { AirDrawing } from '../core/gesture/airDrawing';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const HUD_REFRESH_MS = 250;

/** The page: sources -> worker (one frame in flight) -> overlay, plus panel, HUD and messages. */
export class HandsApp {
  private readonly viewRoot = $<HTMLElement>('view');
  private readonly view = new OverlayView(this.viewRoot);
  private readonly view3d = new MeshView3d(this.viewRoot);
  private readonly hud = new Hud($('hud'));
  private readonly progress = new ProgressBar($('progress'));
  private readonly banner = new Banner($('banner'));
  private readonly notice = new Notice($('notice'));
  private readonly fps = new FpsMeter();
  private readonly connection: InferenceConnection;
  private readonly frames: FrameScheduler;
  private readonly sources: SourceController;
  private readonly stageSync: StageSync;
  private readonly state: PanelState = {
    layers: { keypoints: true, skeleton: true, boxes: true, labels: true, mesh: false, mask: false, heatmaps: false, gestures: true },
    heatmapKeypoint: 'all',
    view3d: false,
    mirror: false,
    maxHands: 2,
    landmarkModel: 'full',
    tracking: true,
    smoothing: true,
    bestOnPhotos: true,
    airDrawing: false,
  };
  private readonly airDrawing = new AirDrawing();
  private readonly panel: Panel;
  private readonly gui: GUI;
  private ready = false;
  /** Why the inference side was last restarted, until it is ready again ('' otherwise). */
  private restartReason = '';
  private lastVideoTime = -1;
  /** currentTime of the video frame last drawn (-1: none). */
  private lastDrawnTime = -1;
  private lastHudRefresh = 0;
  /** The latest result shown (never modified: exports copy it). */
  private latest: FrameResult | null = null;
  /** The mesh's triangles, from the worker once the mesh stage exists. */
  private topology: MeshTopology | null = null;

  constructor(private readonly options: PageOptions) {
    this.connection = new InferenceConnection((msg) => this.onMessage(msg), {
      forceMainThread: options.forceMainThread,
      onModeChange: () => this.hud.setMode(this.connection.mode, this.connection.modeNote),
      onRestart: (reason) => this.onRestart(reason),
    });
    this.frames = new FrameScheduler((msg) => this.connection.send(msg));
    this.sources = new SourceController(this.banner, {
      shown: (source) => (source.kind === 'live' ? this.showLive(source) : this.showStill(source)),
      cleared: () => this.clearSource(),
      mirror: (mirrored) => this.setMirror(mirrored),
    });
    this.stageSync = new StageSync({
      wanted: () => this.stagesWanted(),
      resultHasHeads: () => this.latest?.hands.every((h) => h.mask && h.heatmaps) ?? false,
      send: (msg) => this.connection.send(msg),
      onSent: (stages) => this.showHeadsState(stages),
    });
    this.panel = createPanel($('panel'), this.state, {
      onLayer: (name, visible) => {
        this.view.layers.setVisible(name, visible);
        this.publishLayers();
        this.view.invalidate();
        if (name === 'mesh' || HEADS_LAYERS.includes(name)) this.stageSync.sync();
      },
      onHeatmapKeypoint: (choice) => {
        this.view.layers.setHeatmapKeypoint(heatmapIndex(choice));
        this.publishLayers();
        this.view.invalidate();
      },
      onView3d: (visible) => {
        this.view3d.setVisible(visible);
        if (visible) this.view3d.update(this.latest?.hands ?? []);
        this.publishLayers();
        this.stageSync.sync();
      },
      onMirror: (mirrored) => {
        this.view.setMirrored(mirrored);
        this.view3d.setMirrored(mirrored);
      },
      onOptions: () => this.onOptions(),
      onAirDrawing: (on) => {
        if (!on) this.clearDrawing();
        this.view.invalidate();
      },
      onExport: (kind) => void this.exportFile(kind),
    });
    this.gui = this.panel.gui;
    this.publishLayers();
    publishStrokes(() => this.airDrawing.strokes);
    const app = this;
    publishMeshOverlay({
      get keypointVertices() {
        return app.topology ? Array.from(app.topology.keypointVertices) : [];
      },
      projected: (i) => {
        const p = this.view.layers.mesh.projectedVertices(i);
        return p && Array.from(p);
      },
    });
    publishDenseLayerCost((frames) => {
      const hands = this.latest?.hands.filter((h) => h.mask && h.heatmaps) ?? [];
      return hands.length ? measureDenseLayers(this.view, hands, frames) : null;
    });
    publishPictureSwitch((visible) => {
      this.view.background.object.visible = visible && this.sources.current.kind !== 'none';
      this.view.render(true);
    });
  }

  start(): void {
    this.hud.setMode(this.connection.mode, this.connection.modeNote);
    this.init('Loading hand models…');
    this.sources.listen();
    requestAnimationFrame(this.tick);
  }

  /** Asks the inference side to load the models with the current options (at start, on Retry, after a restart). */
  private init(message: string): void {
    this.ready = false;
    publishState('loading');
    this.progress.message(message, 0);
    this.hud.setBackendPending('loading…');
    const config = this.pipelineConfig();
    this.stageSync.initSent();
    this.connection.send({ type: 'init', config, backendOrder: this.options.backendOrder, wasmThreads: this.options.wasmThreads });
  }

  /** The inference side died and a new one was started: load the models again; the source keeps going. */
  private onRestart(reason: string): void {
    this.frames.abandon();
    publishRestart(reason);
    this.restartReason = reason;
    this.notice.show(`The hand analysis stopped: ${reason}. Restarting it…`, 'warn', 60_000);
    this.init('Restarting the hand analysis…');
  }

  private pipelineConfig(): DeepPartial<PipelineConfig> {
    const s = this.state;
    return {
      maxHands: s.maxHands,
      landmarks: { variant: s.landmarkModel },
      tracking: { enabled: s.tracking },
      filter: { enabled: s.smoothing },
      ...this.stagesWanted(),
    };
  }

  /** The mesh and heads settings for the panel's state and the source shown (video or still). */
  private stagesWanted(): Stages {
    return wantedStages(this.state, this.sources.live !== null);
  }

  /**
   * Max hands, landmark model, tracking or smoothing changed. The lite landmark model cannot feed the
   * heads: their layers are turned off (and disabled, with the reason) before the config goes out.
   */
  private onOptions(): void {
    const full = this.state.landmarkModel === 'full';
    if (!full && HEADS_LAYERS.some((n) => this.state.layers[n])) {
      for (const n of HEADS_LAYERS) {
        this.state.layers[n] = false;
        this.view.layers.setVisible(n, false);
      }
      for (const c of this.gui.controllersRecursive()) c.updateDisplay();
      this.publishLayers();
      this.view.invalidate();
      this.notice.show(`Mask and Heat maps turned off. ${HEADS_NEED_FULL}`, 'warn', 8000);
    }
    this.panel.setHeadsAvailable(full);
    this.stageSync.sendAll(this.pipelineConfig());
  }

  private showHeadsState(stages: Stages): void {
    this.hud.setHeads(stages.heads.enabled ? 'on' : this.state.landmarkModel === 'full' ? 'off' : 'lite');
  }

  private readonly tick = (now: number) => {
    requestAnimationFrame(this.tick);
    const video = this.sources.live;
    if (video && this.ready && !this.frames.busy && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.currentTime !== this.lastVideoTime) {
      // a looped file jumped back to its start: the tracked hands are not where they were
      if (video.currentTime < this.lastVideoTime) this.connection.send({ type: 'reset' });
      this.lastVideoTime = video.currentTime;
      this.frames.sendVideoFrame(video, now);
    }
    if (now - this.lastHudRefresh > HUD_REFRESH_MS) {
      this.lastHudRefresh = now;
      if (video) this.hud.setFps(this.fps.fps(now));
    }
    // a playing video is drawn when it shows a new frame (a file: 25-30 times a second, not at the display's rate)
    const shown = video ? video.currentTime : -1;
    this.view.render(shown !== this.lastDrawnTime);
    this.lastDrawnTime = shown;
    this.view3d.render();
  };

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'progress':
        this.progress.show(msg.loaded, msg.total, msg.file);
        if (!this.ready && msg.loaded >= msg.total) this.progress.message('Preparing the models for this device…');
        return;
      case 'ready':
        this.onReady(msg);
        return;
      case 'meshTopology':
        this.topology = msg.topology;
        this.view.layers.setMeshTopology(msg.topology);
        this.view3d.setTopology(msg.topology);
        return;
      case 'config':
        this.progress.hide();
        if (this.sources.still && this.stageSync.takeStillStale()) this.analyseStill();
        return;
      case 'result':
        this.onResult(msg);
        return;
      case 'error':
        this.onError(msg);
        return;
      case 'lost':
      case 'alive':
        return; // taken by InferenceConnection (a restart) and WorkerClient (its life lock): never passed on
    }
    const _exhaustive: never = msg; // a new message type must be handled above
  }

  private onReady(msg: Extract<FromWorker, { type: 'ready' }>): void {
    this.ready = true;
    this.progress.hide();
    this.hud.setBackend(msg.backend, msg.fallbacks);
    this.hud.setThreads(msg.threads, msg.threadsNote);
    this.frames.cpuCapture = msg.backend === 'wasm' || msg.backend === 'cpu';
    this.hud.setMode(this.connection.mode, this.connection.modeNote);
    publishState('ready');
    if (this.restartReason) {
      this.notice.show(`Hand analysis restarted. It had stopped: ${this.restartReason}.`, 'info', 8000);
      this.restartReason = '';
    }
    if (this.sources.still) this.analyseStill();
  }

  private onResult(msg: Extract<FromWorker, { type: 'result' }>): void {
    if (!this.frames.settle(msg.frameId)) return;
    const now = performance.now();
    const live = this.sources.live !== null;
    if (live) this.fps.tick(now);
    // a large still was analysed downscaled: report (and draw, and export) in its own pixels
    const still = this.sources.still;
    const result =
      still && msg.result.width !== still.width ? scaleFrameResult(msg.result, still.width / msg.result.width, still.width, still.height) : msg.result;
    this.latest = result;
    this.view.update(result.hands, result.width, result.height);
    if (this.state.airDrawing && this.airDrawing.update(result.hands, result.gestureEvents)) this.view.layers.setStrokes(this.airDrawing.strokes);
    if (this.view3d.visible) this.view3d.update(result.hands);
    this.hud.setFrame(result.timings, result.hands, live ? this.fps.fps(now) : null);
    publishResultStats(msg.tensors);
    publishResult(result);
  }

  private onError(msg: Extract<FromWorker, { type: 'error' }>): void {
    if (msg.frameId !== undefined && !this.frames.settle(msg.frameId)) return;
    if (msg.fatal) {
      this.progress.hide();
      this.hud.setBackendPending('none');
      publishState('error');
      this.banner.show(pageError(msg.error), { label: 'Retry', run: () => this.init('Loading hand models…') });
    } else {
      this.banner.show(pageError(msg.error));
    }
  }

  private showLive({ video }: LiveSource): void {
    this.lastVideoTime = -1;
    this.beginSource(video.videoWidth, video.videoHeight);
    this.view.background.showVideo(video, video.videoWidth, video.videoHeight);
    this.stageSync.sync();
  }

  private showStill({ image }: StillSource): void {
    // the view works in the original's pixels; a downscaled bitmap is stretched over them
    this.beginSource(image.width, image.height);
    this.view.background.showBitmap(image.bitmap, image.width, image.height);
    // changed stage settings (mesh, heads) re-analyse the still when the pipeline confirms them
    if (!this.stageSync.syncForNewStill() && this.ready) this.analyseStill();
  }

  /** Sends a copy of the still image (the original stays on screen) in 'image' mode. */
  private analyseStill(): void {
    const still = this.sources.still?.bitmap;
    if (!still) return;
    createImageBitmap(still).then(
      (copy) => (this.sources.still?.bitmap === still ? this.frames.sendBitmap(copy, 'image') : copy.close()),
      (err) => this.banner.show(HandsError.from(err).toJSON()),
    );
  }

  private beginSource(width: number, height: number): void {
    this.frames.newSource();
    this.stageSync.newSource();
    this.connection.send({ type: 'reset' });
    this.notice.hide(); // "no hand yet" and the like are about the previous source
    this.fps.reset();
    this.showHands(null);
    this.view3d.reset();
    this.clearDrawing();
    this.view.setSource(width, height);
    $('placeholder').hidden = true;
  }

  private clearSource(): void {
    this.frames.newSource();
    this.view.background.clear();
    this.showHands(null);
    this.hud.setFps(null);
    $('placeholder').hidden = false;
  }

  private setMirror(mirrored: boolean): void {
    this.state.mirror = mirrored;
    this.view.setMirrored(mirrored);
    this.view3d.setMirrored(mirrored);
    for (const c of this.gui.controllersRecursive()) c.updateDisplay();
  }

  private publishLayers(): void {
    this.viewRoot.dataset.layers = this.view.layers.visibleNames().join(' ');
    this.viewRoot.dataset.view3d = String(this.state.view3d);
    this.viewRoot.dataset.heatmapKeypoint = this.state.heatmapKeypoint;
  }

  /** Clears the hands shown (a new source, or none). */
  private clearDrawing(): void {
    this.airDrawing.clear();
    this.view.layers.setStrokes([]);
  }

  private showHands(result: FrameResult | null): void {
    this.latest = result;
    this.view.update(result?.hands ?? []);
    this.view3d.update(result?.hands ?? []);
  }

  /** Exports a copy of the latest result, so frames that keep arriving cannot change it half-way. */
  private async exportFile(kind: ExportKind): Promise<void> {
    if (kind === 'png' && this.sources.current.kind === 'none') {
      this.notice.show('Nothing to capture yet: open an image or a video, or start the camera.', 'warn');
      return;
    }
    const stem = this.sources.name?.replace(/\.[^.]*$/, '') || `camera-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
    const snapshot = { result: this.latest && structuredClone(this.latest), topology: this.topology, stem };
    try {
      const name = await exportSnapshot(kind, snapshot, () => this.screenshot());
      this.notice.show(`Saved ${name}`);
    } catch (err) {
      if (err instanceof NothingToExport) this.notice.show(err.message, 'warn');
      else this.banner.show(HandsError.from(err).toJSON());
    }
  }

  private screenshot(): Promise<Blob> {
    const labels = Array.from(this.view.labelsElement.querySelectorAll<HTMLElement>('.hand-label'));
    return captureView(this.viewRoot, [this.view.canvas, this.view3d.canvas], labels, () => {
      this.view.render(true);
      this.view3d.render(true);
    });
  }
}

/** The heat-map layer's keypoint index for a panel choice (-1: the maximum over all 21). */
function heatmapIndex(choice: HeatmapChoice): number {
  return choice === 'all' ? -1 : KEYPOINT_NAMES.indexOf(choice as KeypointName);
}

/** Model errors come with a developer's hint (restore models/): say first what a visitor can do. */
function pageError(error: ErrorPayload): ErrorPayload {
  if (error.code !== 'model-missing' && error.code !== 'model-corrupt') return error;
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return {
    ...error,
    message,
    hint: `Press Retry to download it again. If it fails again, this site's copy of the file is broken: ${error.hint.replace(/^R/, 'r')}`,
  };
}
