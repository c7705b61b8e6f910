/**
 * A PNG of what the view shows: the picture with its layers (the WebGL canvas), the HTML hand
 * labels, and the 3D inset when it is open, composed at the screen's pixel density. `renderNow`
 * must draw the WebGL canvases right before they are copied (their drawing buffers are not
 * preserved between frames), so everything below runs in one task.
 */
export function captureView(
  container: HTMLElement,
  canvases: readonly HTMLCanvasElement[],
  labels: readonly HTMLElement[],
  renderNow: () => void,
): Promise<Blob> {
  const dpr = window.devicePixelRatio || 1;
  const root = container.getBoundingClientRect();
  const out = document.createElement('canvas');
  out.width = Math.max(1, Math.round(root.width * dpr));
  out.height = Math.max(1, Math.round(root.height * dpr));
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#101216';
  ctx.fillRect(0, 0, out.width, out.height);
  renderNow();
  const place = (el: Element) => {
    const r = el.getBoundingClientRect();
    return { x: (r.left - root.left) * dpr, y: (r.top - root.top) * dpr, w: r.width * dpr, h: r.height * dpr };
  };
  const drawLabel = (el: HTMLElement) => {
    const r = place(el);
    const style = getComputedStyle(el);
    ctx.fillStyle = style.backgroundColor;
    ctx.strokeStyle = style.borderTopColor;
    ctx.lineWidth = parseFloat(style.borderTopWidth) * dpr;
    ctx.beginPath();
    ctx.roundRect(r.x, r.y, r.w, r.h, 5 * dpr);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = style.color;
    ctx.font = `${style.fontWeight} ${parseFloat(style.fontSize) * dpr}px ${style.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(el.textContent ?? '', r.x + r.w / 2, r.y + r.h / 2);
  };
  let labelsDone = false;
  for (const c of canvases) {
    if (!c.isConnected || c.offsetParent === null) continue;
    const r = place(c);
    ctx.drawImage(c, r.x, r.y, r.w, r.h);
    // the labels belong over the picture, under the 3D inset
    if (!labelsDone) {
      labelsDone = true;
      for (const l of labels) if (l.offsetParent !== null && getComputedStyle(l).display !== 'none') drawLabel(l);
    }
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the screenshot'))), 'image/png'));
}
