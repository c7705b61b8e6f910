import { Box3, Color, DirectionalLight, GridHelper, Group, HemisphereLight, PerspectiveCamera, Scene, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { HandResult } from '../core/types';
import { createCameraMarker } from './cameraMarker';
import { HandMeshes3d } from './handMeshes3d';
import { KeypointSpheres3d } from './keypointSpheres3d';
import type { MeshTopology } from './meshTopology';

const BACKGROUND = new Color('#171a21');
/** Where the orbit camera looks from, relative to the hands: the source camera's side, above, to the right. */
const VIEW_DIRECTION = new Vector3(0.55, 0.45, 1).normalize();
/** Before any hand: look at a point this far in front of the source camera (metres). */
const DEFAULT_DISTANCE = 0.6;

const box = new Box3();
const centre = new Vector3();
const size = new Vector3();

/**
 * The orbit view: a second, small three.js viewport showing the fitted meshes in metric 3D (the
 * source camera at the origin, y up), lit, over a ground grid, with the 21 keypoints as spheres
 * and the source camera as a wire pyramid. Drag to orbit, scroll to zoom, double-click to frame
 * the hands again. Mirroring (selfie view) mirrors the scene's x for display only. Draws only
 * when something changed.
 */
export class MeshView3d {
  readonly element = document.createElement('div');
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(40, 4 / 3, 0.005, 50);
  private readonly controls: OrbitControls;
  /** Mirrored with the display: everything that is data. */
  private readonly root = new Group();
  private readonly meshes = new HandMeshes3d();
  private readonly spheres = new KeypointSpheres3d();
  private readonly grid = new GridHelper(1, 20, 0x5a6070, 0x32363f);
  private mirrored = false;
  private dirty = true;
  private needsFraming = true;
  private shown = 0;

  constructor(container: HTMLElement) {
    this.element.className = 'view3d';
    this.element.hidden = true;
    this.element.title = 'Fitted hand meshes in 3D (metres, the camera at the origin): drag to orbit, scroll to zoom, double-click to frame the hands';
    const caption = document.createElement('div');
    caption.className = 'view3d-caption';
    caption.textContent = '3D view · drag to orbit · double-click to frame';
    this.renderer = new WebGLRenderer({ antialias: true, alpha: false });
    this.renderer.setPixelRatio(window.devicePixelRatio);
    this.renderer.setClearColor(BACKGROUND, 1);
    this.element.append(this.renderer.domElement, caption);
    // three.js rebuilds its GPU state when a lost context comes back; draw the view again
    this.renderer.domElement.addEventListener('webglcontextrestored', () => {
      this.dirty = true;
      this.render();
    });
    container.append(this.element);

    const key = new DirectionalLight(0xffffff, 2.4);
    key.position.set(0.6, 1, 0.4); // relative to the camera: lighting follows the orbit
    this.camera.add(key);
    this.scene.add(this.camera, new HemisphereLight(0xe4ebff, 0x3a3530, 1.3), this.grid, this.root);
    this.root.add(this.spheres.object, this.meshes.object, createCameraMarker());

    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => (this.dirty = true));
    this.renderer.domElement.addEventListener('dblclick', () => this.frame());
    this.frameAt(centre.set(0, 0, -DEFAULT_DISTANCE), 0.15, -0.1);
    new ResizeObserver(() => this.fit()).observe(this.element);
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  setVisible(visible: boolean): void {
    this.element.hidden = !visible;
    this.dirty = true;
    if (visible) this.fit();
  }

  setTopology(topology: MeshTopology): void {
    this.meshes.setTopology(topology);
    this.dirty = true;
  }

  setMirrored(mirrored: boolean): void {
    if (mirrored === this.mirrored) return;
    this.mirrored = mirrored;
    this.root.scale.x = mirrored ? -1 : 1;
    this.frame();
  }

  update(hands: readonly HandResult[]): void {
    const before = this.shown;
    this.shown = this.meshes.update(hands);
    this.spheres.update(hands);
    // hands (re)appeared: show them; afterwards the user's orbit is left alone
    if (this.shown > 0 && (before === 0 || this.needsFraming)) this.frame();
    this.dirty = true;
  }

  /** Frame the next hands that appear (a new source). */
  reset(): void {
    this.needsFraming = true;
  }

  /** Points the orbit camera at the hands shown and puts the grid under them. */
  frame(): void {
    if (this.shown === 0) {
      this.needsFraming = true;
      this.dirty = true;
      return;
    }
    box.makeEmpty();
    this.meshes.expandBox(box);
    box.getCenter(centre);
    box.getSize(size);
    if (this.mirrored) centre.x = -centre.x;
    this.frameAt(centre, Math.max(size.x, size.y, size.z) / 2, box.min.y - 0.01);
    this.needsFraming = false;
  }

  /** Draws if something changed (or `force`, e.g. right before reading the canvas). */
  render(force = false): void {
    if (!this.visible || (!force && !this.dirty)) return;
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
  }

  get canvas(): HTMLCanvasElement {
    return this.renderer.domElement;
  }

  private frameAt(target: Vector3, radius: number, groundY: number): void {
    const distance = Math.max(0.25, radius * 3.2);
    this.controls.target.copy(target);
    this.camera.position.copy(VIEW_DIRECTION).multiplyScalar(distance).add(target);
    this.grid.position.set(target.x, groundY, target.z);
    this.grid.scale.setScalar(Math.max(1, Math.ceil(radius * 6))); // 5 cm cells for hands at arm's length
    this.controls.update();
    this.dirty = true;
  }

  private fit(): void {
    const w = this.element.clientWidth;
    const h = this.element.clientHeight;
    if (w === 0 || h === 0) return;
    this.renderer.setSize(w, h);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
    this.render();
  }
}
