import { DoubleSide, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, Texture, VideoTexture } from 'three';
import { DRAW_ORDER } from './drawOrder';

/**
 * The current frame as a textured quad covering [0, width] x [0, height] in image pixels, so the
 * image and every layer above it go through the same camera (and mirror together).
 */
export class FrameBackground {
  readonly object: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private bitmap: ImageBitmap | null = null;

  constructor() {
    const material = new MeshBasicMaterial({ side: DoubleSide, toneMapped: false, depthTest: false, depthWrite: false });
    this.object = new Mesh(new PlaneGeometry(1, 1), material);
    this.object.renderOrder = DRAW_ORDER.picture;
    this.object.visible = false;
  }

  /** A live <video> (webcam or file); the texture follows its frames. */
  showVideo(video: HTMLVideoElement, width: number, height: number): void {
    this.setTexture(new VideoTexture(video), width, height);
    this.releaseBitmap();
  }

  /**
   * A still image; the background owns the bitmap from now on and closes it when replaced.
   * `width` x `height`: the image pixels it covers, when the bitmap is a downscaled copy of a
   * larger original (results are in the original's pixels).
   */
  showBitmap(bitmap: ImageBitmap, width = bitmap.width, height = bitmap.height): void {
    this.setTexture(new Texture(bitmap), width, height);
    this.releaseBitmap();
    this.bitmap = bitmap;
  }

  clear(): void {
    this.object.material.map?.dispose();
    this.object.material.map = null;
    this.object.visible = false;
    this.releaseBitmap();
  }

  private setTexture(tex: Texture, width: number, height: number): void {
    // image row 0 at v = 0: our camera has y pointing down (and ImageBitmaps ignore flipY anyway)
    tex.flipY = false;
    tex.colorSpace = SRGBColorSpace;
    tex.needsUpdate = true;
    this.object.material.map?.dispose();
    this.object.material.map = tex;
    this.object.material.needsUpdate = true;
    this.object.scale.set(width, height, 1);
    this.object.position.set(width / 2, height / 2, 0);
    this.object.visible = true;
  }

  private releaseBitmap(): void {
    this.bitmap?.close();
    this.bitmap = null;
  }
}
