import { HandsError } from '../errors';
import type { FileSource } from '../models/fileSource';
import { manifestModel, type ModelManifest } from '../models/manifest';
import { sha256Hex } from '../models/sha256';
import { HAND_MODEL_FILE, HAND_MODEL_NAME, parseHandModel, type HandModelData } from './asset';

/**
 * Reads models/hand-model.json through a FileSource (fetch in the page, disk in Node), checks its
 * size and SHA-256 against the manifest, and parses it (the RIGHT hand; mirrorHandModel for the left).
 */
export async function loadHandModel(src: FileSource, manifest: ModelManifest): Promise<HandModelData> {
  const entry = manifestModel(manifest, HAND_MODEL_NAME);
  const expected = entry.files[HAND_MODEL_FILE];
  let bytes: Uint8Array;
  try {
    bytes = await src.read(HAND_MODEL_FILE);
  } catch (err) {
    throw new HandsError('model-missing', `hand model ${src.location}${HAND_MODEL_FILE} could not be read: ${(err as Error).message}`, 'Restore the models folder from the repository (git checkout models/).', { cause: err });
  }
  if (expected) {
    if (bytes.byteLength !== expected.bytes) throw new HandsError('model-corrupt', `hand model ${src.location}${HAND_MODEL_FILE} has ${bytes.byteLength} bytes, expected ${expected.bytes}`, 'Restore the models folder from the repository (git checkout models/).');
    const hash = await sha256Hex(bytes);
    if (hash !== null && hash !== expected.sha256) throw new HandsError('model-corrupt', `hand model ${src.location}${HAND_MODEL_FILE} does not match its sha256 in manifest.json`, 'Restore the models folder from the repository (git checkout models/).');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new HandsError('model-corrupt', `hand model ${src.location}${HAND_MODEL_FILE} is not JSON: ${(err as Error).message}`, 'Restore the models folder from the repository.', { cause: err });
  }
  return parseHandModel(json);
}
