import type { FileSource } from '../models/fileSource';
import { loadJsonAsset } from '../models/loadJsonAsset';
import type { ModelManifest } from '../models/manifest';
import { HAND_MODEL_FILE, HAND_MODEL_NAME, parseHandModel, type HandModelData } from './asset';

/**
 * Reads models/hand-model.json (size and SHA-256 checked against the manifest) and parses it (the
 * RIGHT hand; mirrorHandModel for the left).
 */
export async function loadHandModel(src: FileSource, manifest: ModelManifest): Promise<HandModelData> {
  return parseHandModel(await loadJsonAsset(src, manifest, HAND_MODEL_NAME, HAND_MODEL_FILE, 'hand model'));
}
