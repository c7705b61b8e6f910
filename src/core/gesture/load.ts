import { HandsError } from '../errors';
import type { FileSource } from '../models/fileSource';
import { loadJsonAsset } from '../models/loadJsonAsset';
import type { ModelManifest } from '../models/manifest';
import { parseGestureModel, type GestureModel } from './mlp';

export const GESTURE_MODEL_NAME = 'gesture-classifier';
export const GESTURE_MODEL_FILE = 'gesture-classifier.json';

/** Reads models/gesture-classifier.json (size and SHA-256 checked against the manifest) and checks its shapes. */
export async function loadGestureModel(src: FileSource, manifest: ModelManifest): Promise<GestureModel> {
  const json = await loadJsonAsset(src, manifest, GESTURE_MODEL_NAME, GESTURE_MODEL_FILE, 'gesture classifier');
  try {
    return parseGestureModel(json);
  } catch (err) {
    throw new HandsError(
      'model-corrupt',
      `gesture classifier ${src.location}${GESTURE_MODEL_FILE}: ${(err as Error).message}`,
      'Restore the models folder from the repository (git checkout models/).',
      { cause: err },
    );
  }
}
