/** MediaPipe's 21 hand keypoints, in the order every model and result in this project uses. */
export const KEYPOINT_NAMES = [
  'wrist',
  'thumb_cmc',
  'thumb_mcp',
  'thumb_ip',
  'thumb_tip',
  'index_finger_mcp',
  'index_finger_pip',
  'index_finger_dip',
  'index_finger_tip',
  'middle_finger_mcp',
  'middle_finger_pip',
  'middle_finger_dip',
  'middle_finger_tip',
  'ring_finger_mcp',
  'ring_finger_pip',
  'ring_finger_dip',
  'ring_finger_tip',
  'pinky_finger_mcp',
  'pinky_finger_pip',
  'pinky_finger_dip',
  'pinky_finger_tip',
] as const;

export type KeypointName = (typeof KEYPOINT_NAMES)[number];
export const NUM_KEYPOINTS = KEYPOINT_NAMES.length;

/** Bones as (parent, child) keypoint indices: the skeleton drawn on screen. */
export const SKELETON: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [0, 5],
  [5, 6],
  [6, 7],
  [7, 8],
  [5, 9],
  [9, 10],
  [10, 11],
  [11, 12],
  [9, 13],
  [13, 14],
  [14, 15],
  [15, 16],
  [13, 17],
  [0, 17],
  [17, 18],
  [18, 19],
  [19, 20],
];

/** Which finger a keypoint belongs to (0 = wrist/palm), for colouring. */
export const FINGER_OF_KEYPOINT: readonly number[] = [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5];

/** Display colour per finger (FINGER_OF_KEYPOINT order), shared by the page and the CLI's PNGs. */
export const FINGER_COLOUR_HEX: readonly string[] = ['#f5f5f5', '#ffb347', '#b57bff', '#ffe14d', '#5ee07a', '#4fc3ff'];
