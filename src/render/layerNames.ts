/** The overlay layers the page can toggle. */
export const LAYER_NAMES = ['keypoints', 'skeleton', 'boxes', 'labels', 'mesh', 'mask', 'heatmaps', 'gestures'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

/** The layers drawn from the multi-task heads' outputs (config.heads). */
export const HEADS_LAYERS: readonly LayerName[] = ['mask', 'heatmaps'];
