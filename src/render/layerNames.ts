/** The overlay layers the page can toggle. Heat maps and mask come when their models exist. */
export const LAYER_NAMES = ['keypoints', 'skeleton', 'boxes', 'labels', 'mesh'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];
