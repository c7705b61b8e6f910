import { Color } from 'three';
import { FINGER_COLOUR_HEX } from '../core/keypoints';

/** Most hands the layers draw; buffers are sized for this once, never per frame. */
export const MAX_HANDS = 8;

/** Per finger (FINGER_OF_KEYPOINT: 0 wrist/palm, 1 thumb .. 5 pinky), MediaPipe-like hues. */
export const FINGER_COLORS: readonly Color[] = FINGER_COLOUR_HEX.map((hex) => new Color(hex));

/** Colour by handedness (of the real hand): boxes, labels, masks, meshes and the exported meshes. */
export const HAND_CSS_COLORS = { left: '#36cfc9', right: '#ff7a45' } as const;
export const HAND_COLORS = { left: new Color(HAND_CSS_COLORS.left), right: new Color(HAND_CSS_COLORS.right) } as const;

/** The rotated square the landmark network saw. */
export const ROI_COLOR = new Color('#c0c0c0');
