import { OrthographicCamera, Scene, WebGLRenderer } from 'three';
import { CSS2DRenderer } from 'three/examples/jsm/renderers/CSS2DRenderer.js';
import type { HandResult } from '../core/types';
import { FrameBackground } from './frameBackground';
import { HandLayers } from './handLayers';

const SYNC_PIXEL = new Uint8Array(4);

/**
 * The frame and its hand layers, drawn with an orthographic camera in source-image pixels
 * (x right, y down). Mirroring (selfie view) swaps the camera's left and right planes, so the
 * picture and every layer flip together while the data stays un-mirrored; HTML labels are placed
 * through the same camera but never drawn flipped.
 */
export class OverlayView {
  readonly background = new FrameBackground();
  readonly layers = new HandLayers();
  private readonly renderer: WebGLRenderer;
  private readonly labels = new CSS2DRenderer();
  private readonly scene = new Scene();
  private readonly camera = new OrthographicCamera(0, 1, 0, 1, -10, 10);
  private sourceWidth = 0;
  private sourceHeight = 0;
  private mirrored = false;
  private dirty = true;

  constructor(private readonly container: HTMLElement) {
    this.renderer = new WebGLRenderer({ antialias: true, alpha: true, preserveDrawingBuffer: false });
    this.renderer.setPixelRatio(window.devicePixelRatio);
    this.renderer.domElement.className = 'overlay-canvas';
    this.labels.domElement.className = 'overlay-labels';
    // a label above a hand at the image's top edge may stick out of the picture rather than vanish
    this.labels.domElement.style.overflow = 'visible';
    container.append(this.renderer.domElement, this.labels.domElement);
    // three.js rebuilds its GPU state when a lost context comes back; the picture must be drawn again
    this.renderer.domElement.addEventListener('webglcontextrestored', () => this.render(true));
    this.scene.add(this.background.object, this.layers.object);
    new ResizeObserver(() => this.fit()).observe(container);
  }

  /** Size of the frames that will be shown (image pixels); refits the view. */
  setSource(width: number, height: number): void {
    this.sourceWidth = width;
    this.sourceHeight = height;
    this.updateCamera();
    this.fit();
  }

  setMirrored(mirrored: boolean): void {
    this.mirrored = mirrored;
    this.container.dataset.mirrored = String(mirrored);
    this.updateCamera();
    this.dirty = true;
  }

  /** `width` x `height`: the frame the hands were found in (defaults to the source size). */
  update(hands: readonly HandResult[], width = this.sourceWidth, height = this.sourceHeight): void {
    this.layers.update(hands, width, height);
    this.dirty = true;
  }

  /** The WebGL canvas (image and layers), e.g. for a screenshot right after render(true). */
  get canvas(): HTMLCanvasElement {
    return this.renderer.domElement;
  }

  /** The HTML labels drawn over the canvas. */
  get labelsElement(): HTMLElement {
    return this.labels.domElement;
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** Draws when something changed (or always, for a playing video). */
  render(force = false): void {
    if (!force && !this.dirty) return;
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
    this.labels.render(this.scene, this.camera);
  }

  /**
   * Draws now and waits until the GPU has finished (reads one pixel back): for measuring what a
   * frame's drawing costs. Not for per-frame use.
   */
  renderSync(): void {
    this.render(true);
    const gl = this.renderer.getContext();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, SYNC_PIXEL);
  }

  private updateCamera(): void {
    const w = this.sourceWidth || 1;
    const h = this.sourceHeight || 1;
    // top = 0, bottom = h gives y down; left/right swapped mirrors the display only
    this.camera.left = this.mirrored ? w : 0;
    this.camera.right = this.mirrored ? 0 : w;
    this.camera.top = 0;
    this.camera.bottom = h;
    this.camera.updateProjectionMatrix();
  }

  /** Largest size that fits the container at the source's aspect ratio, centred. */
  private fit(): void {
    const cw = this.container.clientWidth;
    const ch = this.container.clientHeight;
    const w = this.sourceWidth || cw;
    const h = this.sourceHeight || ch;
    if (cw === 0 || ch === 0 || w === 0 || h === 0) return;
    const scale = Math.min(cw / w, ch / h);
    const dw = Math.max(1, Math.floor(w * scale));
    const dh = Math.max(1, Math.floor(h * scale));
    this.renderer.setSize(dw, dh);
    this.labels.setSize(dw, dh);
    this.layers.setResolution(dw, dh);
    const left = `${Math.floor((cw - dw) / 2)}px`;
    const top = `${Math.floor((ch - dh) / 2)}px`;
    for (const el of [this.renderer.domElement, this.labels.domElement]) {
      el.style.left = left;
      el.style.top = top;
    }
    this.dirty = true;
    this.render();
  }
}
