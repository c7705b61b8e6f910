/** What every data-set loader of `hands eval` produces: samples with ground truth in MediaPipe's joint order. */
import type { Vec2 } from '../../core/metrics/keypoints2d';
import type { Vec3 } from '../../core/metrics/procrustes';

export type DatasetFormat = 'hgcnn' | 'coco' | 'freihand' | 'interhand' | 'masks';
export const DATASET_FORMATS: readonly DatasetFormat[] = ['hgcnn', 'coco', 'freihand', 'interhand', 'masks'];

/** One annotated hand, already in MediaPipe's 21-joint order (0 wrist, 1-4 thumb, ..., 17-20 pinky). */
export interface GtHand {
  /** 21 x [x, y] in source-image pixels. */
  keypoints2d: Vec2[];
  /** false = joint not annotated (excluded from every 2D metric). */
  visible: boolean[];
  /** 21 x [x, y, z] in millimetres, camera frame (x right, y down, z forward); absent without 3D labels. */
  keypoints3d?: Vec3[];
  valid3d?: boolean[];
  /** Ground-truth hand box [xMin, yMin, xMax, yMax] in pixels (from the data set, or around the visible joints). */
  box: [number, number, number, number];
  /** PCK thresholds are fractions of this many pixels: the crop side for crop sets, else the box's longer side. */
  normaliser: number;
  handedness?: 'left' | 'right';
}

export interface EvalSample {
  id: string;
  /** Absolute path of the image file. */
  image: string;
  hands: GtHand[];
  /** A crop centred on one hand (hgcnn, FreiHAND): the landmark-only baseline sees the whole image. */
  crop?: boolean;
  /** Absolute path of the ground-truth mask (masks format). */
  mask?: string;
}

export interface EvalDataset {
  format: DatasetFormat;
  /** The path given on the command line. */
  path: string;
  name: string;
  samples: EvalSample[];
  /** Joint-definition gaps, conventions, quirks found while loading: printed and kept in the report. */
  notes: string[];
}

export interface LoadOptions {
  /** Only the first N samples. */
  limit?: number;
  /** Folder to look for images in when the annotation's file names are relative to somewhere else. */
  imagesDir?: string;
}
