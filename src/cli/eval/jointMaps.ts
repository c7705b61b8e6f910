/**
 * Joint orders of the data sets, mapped EXPLICITLY to MediaPipe's 21 (0 wrist; 1-4 thumb CMC, MCP,
 * IP, tip; 5-8 index MCP, PIP, DIP, tip; 9-12 middle; 13-16 ring; 17-20 pinky). Where a file names
 * its joints, map by name; where it does not, the order is documented here per data set.
 */
import { KEYPOINT_NAMES, NUM_KEYPOINTS } from '../../core/keypoints';

/** order[i] = the data set's joint index that holds MediaPipe joint i. */
export type JointOrder = readonly number[];

export const IDENTITY_ORDER: JointOrder = Array.from({ length: NUM_KEYPOINTS }, (_, i) => i);

/**
 * InterHand2.6M, per hand (right = joints 0-20, left = 21-41 of the 42): thumb4 (tip), thumb3,
 * thumb2, thumb1, index4..1, middle4..1, ring4..1, pinky4..1, wrist (20): tip first, wrist last
 * (checked on the samples: joint 20 is the root, distances from it fall from x4 to x1).
 */
export const INTERHAND_ORDER: JointOrder = [20, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 19, 18, 17, 16];

/**
 * RHD as converted by mmpose: wrist, then each finger TIP FIRST (mmpose's rhd2d dataset_info links
 * wrist -> thumb4, so its "thumb1" is the tip), although the json's category lists the same names
 * as OneHand10K. Names cannot be trusted here; the order is fixed.
 */
export const RHD_ORDER: JointOrder = [0, 4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17];

/**
 * COCO-WholeBody `lefthand_kpts` / `righthand_kpts` carry no names in the file; their documented
 * order (the OpenPose / CMU Panoptic hand) is wrist, thumb1-4 (CMC -> tip), forefinger1-4, ...: MediaPipe's.
 */
export const COCO_WHOLEBODY_HAND_ORDER: JointOrder = IDENTITY_ORDER;

const FINGERS: Record<string, number> = { thumb: 1, index: 5, forefinger: 5, middle: 9, ring: 13, pinky: 17, little: 17 };
const MEDIAPIPE_SUFFIX: Record<string, number> = { cmc: 0, mcp: 0, pip: 1, ip: 2, dip: 2, tip: 3 };

/**
 * MediaPipe index of a joint name, or -1. Knows MediaPipe's own names and the numbered style of
 * OneHand10K / CMU Panoptic / FreiHAND / COCO-WholeBody in mmpose ("thumb1".."thumb4" from the palm
 * out, "forefinger3", "middle_finger2", "pinky_finger4"; 1 = CMC for the thumb, MCP for the others).
 */
export function mediapipeIndexOfName(raw: string): number {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const exact = (KEYPOINT_NAMES as readonly string[]).indexOf(name);
  if (exact >= 0) return exact;
  if (name === 'wrist' || name === 'root' || name === 'hand_root') return 0;
  const numbered = /^(thumb|index|forefinger|middle|ring|pinky|little)(?:_finger)?_?([1-4])$/.exec(name);
  if (numbered) return FINGERS[numbered[1]] + Number(numbered[2]) - 1;
  const named = /^(thumb|index|forefinger|middle|ring|pinky|little)(?:_finger)?_(cmc|mcp|pip|ip|dip|tip)$/.exec(name);
  if (named) {
    const finger = named[1];
    const part = named[2];
    if (finger === 'thumb') return ({ cmc: 1, mcp: 2, ip: 3, tip: 4 } as Record<string, number>)[part] ?? -1;
    if (part === 'cmc' || part === 'ip') return -1;
    return FINGERS[finger] + MEDIAPIPE_SUFFIX[part];
  }
  return -1;
}

/** Order from a list of joint names; throws naming the joints it could not place. */
export function orderFromNames(names: readonly string[]): JointOrder {
  const order = new Array<number>(NUM_KEYPOINTS).fill(-1);
  const unknown: string[] = [];
  names.forEach((n, src) => {
    const mp = mediapipeIndexOfName(n);
    if (mp < 0) unknown.push(n);
    else if (order[mp] === -1) order[mp] = src;
  });
  const missing = order.map((o, i) => (o < 0 ? KEYPOINT_NAMES[i] : '')).filter(Boolean);
  if (missing.length)
    throw new Error(`joint names do not cover MediaPipe's 21: missing ${missing.join(', ')}${unknown.length ? `; unknown names: ${unknown.join(', ')}` : ''}`);
  return order;
}

export function reorder<T>(values: readonly T[], order: JointOrder): T[] {
  return order.map((i) => values[i]);
}
