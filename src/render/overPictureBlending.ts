import { CustomBlending, OneFactor, OneMinusSrcAlphaFactor, SrcAlphaFactor, type MaterialParameters } from 'three';

/**
 * Straight-alpha blending for a material drawn over the picture, kept in the opaque queue: three
 * draws every `transparent` material after all opaque ones whatever its renderOrder, so overlays
 * that sit between the picture and the line / point layers blend as opaque materials and are
 * ordered by renderOrder. The canvas's own alpha stays opaque where they cover the picture.
 */
export const OVER_PICTURE_BLENDING = {
  transparent: false,
  blending: CustomBlending,
  blendSrc: SrcAlphaFactor,
  blendDst: OneMinusSrcAlphaFactor,
  blendSrcAlpha: OneFactor,
  blendDstAlpha: OneMinusSrcAlphaFactor,
} as const satisfies MaterialParameters;
