import { HandsError } from '../errors';
import type { FileSource } from './fileSource';
import { manifestModel, type ModelManifest } from './manifest';
import { sha256Hex } from './sha256';

/**
 * Reads one JSON model file (the hand model, the gesture classifier) through a FileSource (fetch in
 * the page, disk in Node), checks its size and SHA-256 against the manifest, and parses the JSON;
 * `what` names it in errors ("hand model"). The caller validates the parsed shape.
 */
export async function loadJsonAsset(src: FileSource, manifest: ModelManifest, name: string, file: string, what: string): Promise<unknown> {
  const expected = manifestModel(manifest, name).files[file];
  const restore = 'Restore the models folder from the repository (git checkout models/).';
  let bytes: Uint8Array;
  try {
    bytes = await src.read(file);
  } catch (err) {
    throw new HandsError('model-missing', `${what} ${src.location}${file} could not be read: ${(err as Error).message}`, restore, { cause: err });
  }
  if (expected) {
    if (bytes.byteLength !== expected.bytes)
      throw new HandsError('model-corrupt', `${what} ${src.location}${file} has ${bytes.byteLength} bytes, expected ${expected.bytes}`, restore);
    const hash = await sha256Hex(bytes);
    if (hash !== expected.sha256) throw new HandsError('model-corrupt', `${what} ${src.location}${file} does not match its sha256 in manifest.json`, restore);
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new HandsError('model-corrupt', `${what} ${src.location}${file} is not JSON: ${(err as Error).message}`, restore, { cause: err });
  }
}
