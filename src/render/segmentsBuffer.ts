import { DoubleSide, type Color, type InterleavedBufferAttribute } from 'three';
import { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/examples/jsm/lines/LineSegmentsGeometry.js';

/**
 * A fixed-capacity set of thick 2D line segments (WebGL lines are 1 px wide, so three's
 * LineSegments2). Filled each frame in place: begin(), push() per segment, end().
 */
export class SegmentsBuffer {
  readonly object: LineSegments2;
  readonly material: LineMaterial;
  private readonly positions: Float32Array;
  private readonly colors: Float32Array;
  private readonly geometry = new LineSegmentsGeometry();
  private count = 0;

  constructor(
    private readonly capacity: number,
    widthPx: number,
    opacity = 1,
  ) {
    this.positions = new Float32Array(capacity * 6);
    this.colors = new Float32Array(capacity * 6);
    this.geometry.setPositions(this.positions);
    this.geometry.setColors(this.colors);
    this.geometry.instanceCount = 0;
    this.material = new LineMaterial({
      linewidth: widthPx,
      vertexColors: true,
      transparent: opacity < 1,
      opacity,
      depthTest: false,
      depthWrite: false,
      side: DoubleSide,
    });
    this.object = new LineSegments2(this.geometry, this.material);
    this.object.frustumCulled = false;
  }

  begin(): void {
    this.count = 0;
  }

  push(x0: number, y0: number, x1: number, y1: number, color: Color): void {
    if (this.count >= this.capacity) return;
    const o = 6 * this.count++;
    const p = this.positions;
    p[o] = x0;
    p[o + 1] = y0;
    p[o + 2] = 0;
    p[o + 3] = x1;
    p[o + 4] = y1;
    p[o + 5] = 0;
    color.toArray(this.colors, o);
    color.toArray(this.colors, o + 3);
  }

  end(): void {
    this.geometry.instanceCount = this.count;
    (this.geometry.attributes.instanceStart as InterleavedBufferAttribute).data.needsUpdate = true;
    (this.geometry.attributes.instanceColorStart as InterleavedBufferAttribute).data.needsUpdate = true;
  }

  /** Line widths are in CSS pixels of the drawing buffer this size. */
  setResolution(width: number, height: number): void {
    this.material.resolution.set(width, height);
  }
}
