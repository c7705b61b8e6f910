import type GUI from 'lil-gui';
import { DEFAULT_CONFIG, type DeepPartial, type MeshConfig, type PipelineConfig } from '../core/config';
import { HandsError } from '../core/errors';
import type { FrameResult } from '../core/types';
import { MeshView3d } from '../render/meshView3d';
import type { MeshTopology } from '../render/meshTopology';
import { OverlayView } from '../render/overlayView';
import { exportSnapshot, NothingToExport, type ExportKind } from './export/exporter';
import { captureView } from './export/viewScreenshot';
import { FrameScheduler } from './frameScheduler';
import type { PageOptions } from './pageOptions';
import { fileKind } from './sources/fileKind';
import { enableFileDrop } from './sources/fileDrop';
import { decodeImageFile } from './sources/imageFile';
import { VideoFile } from './sources/videoFile';
import { Webcam } from './sources/webcam';
import { publishMeshOverlay, publishResult, publishState } from './testHooks';
import { Banner } from './ui/banner';
import { FpsMeter } from './ui/fpsMeter';
import { Hud } from './ui/hud';
import { Notice } from './ui/notice';
import { createPanel, type PanelState } from './ui/panel';
import { ProgressBar } from './ui/progressBar';
import { InferenceConnection } from './worker/inferenceConnection';
import type { FromWorker } from './worker/protocol';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const HUD_REFRESH_MS = 250;
/**
 * Mesh-fit iterations on video: each frame starts from the previous frame's fit, so fewer
 * iterations suffice, and on GPU backends every iteration is one read-back sync. Still images use
 * the core's default (a cold start).
 */
const LIVE_MESH_ITERATIONS = 4;

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
  private readonly webcam = new Webcam();
  private readonly videoFile = new VideoFile();
  private readonly connection: InferenceConnection;
  private readonly frames: FrameScheduler;
  private readonly state: PanelState = {
    layers: { keypoints: true, skeleton: true, boxes: true, labels: true, mesh: false },
    view3d: false,
    mirror: false,
    maxHands: 2,
    landmarkModel: 'full',
    tracking: true,
    smoothing: true,
  };
  private readonly gui: GUI;
  private ready = false;
  /** The playing video (webcam or file) being analysed, or null. */
  private live: HTMLVideoElement | null = null;
  /** The still image shown (owned by the view's background), or null. */
  private still: ImageBitmap | null = null;
  private lastVideoTime = -1;
  private lastHudRefresh = 0;
  /** The latest result shown (never modified: exports copy it). */
  private latest: FrameResult | null = null;
  /** The mesh's triangles, from the worker once the mesh stage exists. */
  private topology: MeshTopology | null = null;
  /** The mesh settings last sent to the pipeline. */
  private meshSent = '';
  /** File name of the source, or null for the camera (names exported files). */
  private sourceName: string | null = null;

  constructor(private readonly options: PageOptions) {
    this.connection = new InferenceConnection((msg) => this.onMessage(msg), {
      forceMainThread: options.forceMainThread,
      onModeChange: () => this.hud.setMode(this.connection.mode, this.connection.modeNote),
    });
    this.frames = new FrameScheduler((msg) => this.connection.send(msg));
    this.gui = createPanel($('panel'), this.state, {
      onLayer: (name, visible) => {
        this.view.layers.setVisible(name, visible);
        this.publishLayers();
        this.view.invalidate();
        if (name === 'mesh') this.syncMeshConfig();
      },
      onView3d: (visible) => {
        this.view3d.setVisible(visible);
        if (visible) this.view3d.update(this.latest?.hands ?? []);
        this.publishLayers();
        this.syncMeshConfig();
      },
      onMirror: (mirrored) => {
        this.view.setMirrored(mirrored);
        this.view3d.setMirrored(mirrored);
      },
      onOptions: () => this.sendConfig(),
      onExport: (kind) => void this.exportFile(kind),
    });
    this.publishLayers();
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
  }

  start(): void {
    publishState('loading');
    this.progress.message('Loading hand models…');
    this.hud.setMode(this.connection.mode, this.connection.modeNote);
    const config = this.pipelineConfig();
    this.meshSent = JSON.stringify(config.mesh);
    this.connection.send({ type: 'init', config, backendOrder: this.options.backendOrder });
    $('camera-start').addEventListener('click', () => void this.startCamera());
    $('camera-stop').addEventListener('click', () => this.stopCamera());
    const input = $<HTMLInputElement>('file-input');
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.value = ''; // picking the same file again still fires 'change'
      if (file) void this.openFile(file);
    });
    enableFileDrop($('drop-overlay'), (file) => void this.openFile(file));
    requestAnimationFrame(this.tick);
  }

  private pipelineConfig(): DeepPartial<PipelineConfig> {
    const s = this.state;
    return { maxHands: s.maxHands, landmarks: { variant: s.landmarkModel }, tracking: { enabled: s.tracking }, filter: { enabled: s.smoothing }, mesh: this.meshConfig() };
  }

  /** The mesh is fitted only while someone looks at it (the Mesh layer or the 3D view). */
  private meshConfig(): Pick<MeshConfig, 'enabled' | 'iterations'> {
    return { enabled: this.state.layers.mesh || this.state.view3d, iterations: this.live ? LIVE_MESH_ITERATIONS : DEFAULT_CONFIG.mesh.iterations };
  }

  private sendConfig(): void {
    const config = this.pipelineConfig();
    this.meshSent = JSON.stringify(config.mesh);
    this.connection.send({ type: 'setConfig', config });
  }

  /** Sends the mesh settings when they changed; true when it did (a still is then analysed again on the reply). */
  private syncMeshConfig(): boolean {
    const mesh = this.meshConfig();
    if (JSON.stringify(mesh) === this.meshSent) return false;
    this.meshSent = JSON.stringify(mesh);
    this.connection.send({ type: 'setConfig', config: { mesh } });
    return true;
  }

  private readonly tick = (now: number) => {
    requestAnimationFrame(this.tick);
    const video = this.live;
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
    this.view.render(video !== null);
    this.view3d.render();
  };

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'progress':
        this.progress.show(msg.loaded, msg.total, msg.file);
        if (!this.ready && msg.loaded >= msg.total) this.progress.message('Preparing the models for this device…');
        return;
      case 'ready':
        this.ready = true;
        this.progress.hide();
        this.hud.setBackend(msg.backend, msg.fallbacks);
        this.hud.setMode(this.connection.mode, this.connection.modeNote);
        publishState('ready');
        if (this.still) this.analyseStill();
        return;
      case 'meshTopology':
        this.topology = msg.topology;
        this.view.layers.setMeshTopology(msg.topology);
        this.view3d.setTopology(msg.topology);
        return;
      case 'config':
        this.progress.hide();
        if (this.still) this.analyseStill();
        return;
      case 'result': {
        if (!this.frames.settle(msg.frameId)) return;
        const now = performance.now();
        if (this.live) this.fps.tick(now);
        this.latest = msg.result;
        this.view.update(msg.result.hands, msg.result.width, msg.result.height);
        if (this.view3d.visible) this.view3d.update(msg.result.hands);
        this.hud.setFrame(msg.result.timings, msg.result.hands, this.live ? this.fps.fps(now) : null);
        publishResult(msg.result);
        return;
      }
      case 'error':
        if (msg.frameId !== undefined && !this.frames.settle(msg.frameId)) return;
        this.banner.show(msg.error);
        if (msg.fatal) {
          this.progress.hide();
          publishState('error');
        }
        return;
    }
  }

  private async startCamera(): Promise<void> {
    this.banner.dismiss();
    let video: HTMLVideoElement;
    try {
      video = await this.webcam.start();
    } catch (err) {
      this.banner.show(HandsError.from(err).toJSON(), { label: 'Retry', run: () => void this.startCamera() });
      return;
    }
    this.setMirror(true); // a selfie view feels natural for a camera facing the user
    this.showLive(video);
    this.sourceName = null;
    this.setCameraButtons(true);
  }

  private stopCamera(): void {
    const wasShowing = this.live === this.webcam.video;
    this.webcam.stop();
    this.setCameraButtons(false);
    if (wasShowing) this.clearSource();
  }

  private setCameraButtons(running: boolean): void {
    $('camera-start').hidden = running;
    $('camera-stop').hidden = !running;
  }

  /** Images and videos; a file that cannot be used leaves the current source running. */
  private async openFile(file: File): Promise<void> {
    const kind = fileKind(file);
    try {
      if (kind === 'unsupported') {
        throw new HandsError('unsupported-file', `${file.name} is not an image or a video (${file.type || 'unknown type'}).`, 'Open a JPEG, PNG or WebP image, or an MP4 or WebM video.');
      }
      if (kind === 'image') {
        const bitmap = await decodeImageFile(file);
        this.stopLiveSources();
        this.showStill(bitmap);
      } else {
        this.webcam.stop();
        this.setCameraButtons(false);
        this.showLive(await this.videoFile.open(file));
      }
      this.sourceName = file.name;
      this.banner.dismiss();
      this.setMirror(false);
    } catch (err) {
      this.banner.show(HandsError.from(err).toJSON());
    }
  }

  private stopLiveSources(): void {
    this.webcam.stop();
    this.videoFile.close();
    this.setCameraButtons(false);
  }

  private showLive(video: HTMLVideoElement): void {
    if (video !== this.videoFile.video) this.videoFile.close();
    this.still = null;
    this.live = video;
    this.lastVideoTime = -1;
    this.beginSource(video.videoWidth, video.videoHeight);
    this.view.background.showVideo(video, video.videoWidth, video.videoHeight);
    this.syncMeshConfig();
  }

  private showStill(bitmap: ImageBitmap): void {
    this.live = null;
    this.still = bitmap;
    this.beginSource(bitmap.width, bitmap.height);
    this.view.background.showBitmap(bitmap);
    // a changed mesh setting re-analyses the still when the pipeline confirms it
    if (!this.syncMeshConfig() && this.ready) this.analyseStill();
  }

  /** Sends a copy of the still image (the original stays on screen) in 'image' mode. */
  private analyseStill(): void {
    const still = this.still;
    if (!still) return;
    createImageBitmap(still).then(
      (copy) => (this.still === still ? this.frames.sendBitmap(copy, 'image') : copy.close()),
      (err) => this.banner.show(HandsError.from(err).toJSON()),
    );
  }

  private beginSource(width: number, height: number): void {
    this.frames.newSource();
    this.connection.send({ type: 'reset' });
    this.notice.hide(); // "no hand yet" and the like are about the previous source
    this.fps.reset();
    this.showHands(null);
    this.view3d.reset();
    this.view.setSource(width, height);
    $('placeholder').hidden = true;
  }

  private clearSource(): void {
    this.live = null;
    this.still = null;
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
  }

  /** Clears the hands shown (a new source, or none). */
  private showHands(result: FrameResult | null): void {
    this.latest = result;
    this.view.update(result?.hands ?? []);
    this.view3d.update(result?.hands ?? []);
  }

  /** Exports a copy of the latest result, so frames that keep arriving cannot change it half-way. */
  private async exportFile(kind: ExportKind): Promise<void> {
    if (kind === 'png' && !this.live && !this.still) {
      this.notice.show('Nothing to capture yet: open an image or a video, or start the camera.', 'warn');
      return;
    }
    const stem = this.sourceName?.replace(/\.[^.]*$/, '') || `camera-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
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
