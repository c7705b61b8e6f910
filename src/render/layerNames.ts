/** The overlay layers the page can toggle. Heat maps, mask and mesh come when their models exist. */
export const LAYER_NAMES = ['keypoints', 'skeleton', 'boxes', 'labels'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];
