/**
 * The page that runs the real MediaPipe Hands web solution (`@mediapipe/hands`) for `hands eval`.
 * Plain JavaScript in a string: it runs in chromium as written (a TypeScript function handed to
 * playwright would arrive with the transpiler's helpers, which the page does not have).
 *
 * The page defines two functions the runner calls:
 *  - `__mpInit(options)`: loads the solution from this origin (`/mp/<file>`) with these options;
 *  - `__mpRun(i, width, height)`: fetches frame i (raw RGBA) from `/frame/<i>`, sends a BLACK frame
 *    of the same size first (the solution tracks like a video: a black frame has no hand, so any
 *    track ends and the real frame starts from palm detection), then the frame itself, and returns
 *    MediaPipe's results as plain arrays, plus how many hands the black frame had (must be 0).
 */
export const MEDIAPIPE_WEB_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>MediaPipe Hands web for hands eval</title>
<script src="/mp/hands.js"></script></head>
<body><canvas id="frame"></canvas>
<script>
'use strict';
const canvas = document.getElementById('frame');
const ctx = canvas.getContext('2d', { willReadFrequently: false });
let hands;
let latest;
window.__mpInit = async (options) => {
  hands = new Hands({ locateFile: (file) => '/mp/' + file });
  hands.setOptions(options);
  hands.onResults((r) => { latest = r; });
  await hands.initialize();
  return window.VERSION || null;
};
const sendCanvas = async () => {
  latest = undefined;
  await hands.send({ image: canvas });
  if (!latest) throw new Error('MediaPipe sent no results for a frame');
  return latest;
};
window.__mpRun = async (i, width, height) => {
  const res = await fetch('/frame/' + i);
  if (!res.ok) throw new Error('frame ' + i + ': HTTP ' + res.status);
  const rgba = new Uint8ClampedArray(await res.arrayBuffer());
  canvas.width = width;
  canvas.height = height;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, width, height);
  const black = await sendCanvas();
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  const t0 = performance.now();
  const r = await sendCanvas();
  const ms = performance.now() - t0;
  const lms = r.multiHandLandmarks || [];
  const world = r.multiHandWorldLandmarks || [];
  const handed = r.multiHandedness || [];
  return {
    blackHands: (black.multiHandLandmarks || []).length,
    ms,
    hands: lms.map((lm, k) => ({
      landmarks: lm.map((p) => [p.x, p.y, p.z]),
      world: (world[k] || []).map((p) => [p.x, p.y, p.z]),
      label: handed[k] ? handed[k].label : null,
      score: handed[k] ? handed[k].score : null,
    })),
  };
};
</script></body></html>
`;
