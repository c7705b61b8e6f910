/**
 * CPU backends (WASM, CPU) read an ImageBitmap through a 2D canvas; TF.js creates that canvas
 * without `willReadFrequently`, which makes every read a GPU read-back (measured in headless
 * Chromium: 16-233 ms for 720x382, against 4-10 ms with the hint). So on those backends we read
 * the pixels ourselves through one reused canvas made with the hint. Returns null where there is
 * no OffscreenCanvas (Node), leaving the input to TF.js.
 */
let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

export function readBitmapPixels(bitmap: ImageBitmap): ImageData | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  if (!canvas) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) return null;
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  // composite on black, as the CLI does (sharp's flatten): a transparent image must not show the
  // previous frame, still on this reused canvas, through its transparent parts
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, bitmap.width, bitmap.height);
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

export function isImageBitmap(x: unknown): x is ImageBitmap {
  return typeof ImageBitmap !== 'undefined' && x instanceof ImageBitmap;
}
