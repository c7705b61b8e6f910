import { FINGER_COLOUR_HEX, FINGER_OF_KEYPOINT, SKELETON } from '../core/keypoints';
import { rectCorners } from '../core/geometry/rect';
import { gestureDisplayName } from '../core/gesture/names';
import type { HandResult } from '../core/types';

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An SVG drawing of hands over a width x height image (keypoints, skeleton, box, ROI, label with the gesture);
 * sharp composites it onto the photo. Line widths scale with the image so it reads at any size.
 */
export function handsOverlaySvg(hands: readonly HandResult[], width: number, height: number, scale = 1): string {
  const u = Math.max(1, Math.max(width, height) / 500);
  const parts: string[] = [];
  for (const h of hands) {
    const kp = h.keypoints2d.map((k) => ({ x: k.x * scale, y: k.y * scale }));
    const roi = rectCorners({ ...h.roi, cx: h.roi.cx * scale, cy: h.roi.cy * scale, width: h.roi.width * scale, height: h.roi.height * scale });
    parts.push(
      `<polygon points="${roi.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}" fill="none" stroke="#888" stroke-dasharray="${4 * u}" stroke-width="${u}"/>`,
    );
    const b = { x: h.box.xMin * scale, y: h.box.yMin * scale, w: (h.box.xMax - h.box.xMin) * scale, h: (h.box.yMax - h.box.yMin) * scale };
    parts.push(
      `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" fill="none" stroke="#ffe14d" stroke-width="${u}"/>`,
    );
    for (const [a, c] of SKELETON) {
      parts.push(
        `<line x1="${kp[a].x.toFixed(1)}" y1="${kp[a].y.toFixed(1)}" x2="${kp[c].x.toFixed(1)}" y2="${kp[c].y.toFixed(1)}" stroke="${FINGER_COLOUR_HEX[FINGER_OF_KEYPOINT[c]]}" stroke-width="${2 * u}" stroke-linecap="round"/>`,
      );
    }
    kp.forEach((p, i) =>
      parts.push(
        `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${3 * u}" fill="${FINGER_COLOUR_HEX[FINGER_OF_KEYPOINT[i]]}" stroke="#000" stroke-width="${0.6 * u}"/>`,
      ),
    );
    const gesture = h.gesture && h.gesture.label !== 'None' ? ` ${gestureDisplayName(h.gesture.label)}` : '';
    const label = esc(`#${h.id} ${h.handedness === 'right' ? 'Right' : 'Left'} ${h.score.toFixed(2)}${gesture}`);
    // above the box, or just inside it where the box touches the top edge; kept inside the image
    // on the right (sans-serif averages ~0.6 em a character)
    const fontPx = 12 * u;
    const textY = b.y - 4 * u >= fontPx ? b.y - 4 * u : b.y + fontPx + 2 * u;
    const textX = Math.max(0, Math.min(b.x, width - 0.6 * fontPx * label.length));
    parts.push(
      `<text x="${textX.toFixed(1)}" y="${textY.toFixed(1)}" font-family="sans-serif" font-size="${fontPx}" fill="#ffe14d" stroke="#000" stroke-width="${0.3 * u}">${label}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
