import type * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { HandsError } from '../errors';
import type { FileSource } from './fileSource';
import { manifestModel, type ModelManifest } from './manifest';
import { sha256Hex } from './sha256';

export interface LoadProgress {
  /** File being read. */
  file: string;
  /** Bytes read so far over all files of this load. */
  loaded: number;
  total: number;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

/** Reads one file of a model, checks its size and hash against the manifest. */
async function readChecked(
  src: FileSource,
  name: string,
  expected: { bytes: number; sha256: string } | undefined,
  onBytes: (n: number) => void,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await src.read(name, onBytes);
  } catch (err) {
    throw new HandsError(
      'model-missing',
      `model file ${src.location}${name} could not be read: ${(err as Error).message}`,
      'Restore the models folder from the repository (git checkout models/).',
      { cause: err },
    );
  }
  if (expected) {
    if (bytes.byteLength !== expected.bytes) {
      throw new HandsError(
        'model-corrupt',
        `model file ${src.location}${name} has ${bytes.byteLength} bytes, expected ${expected.bytes} (truncated or replaced)`,
        'Restore the models folder from the repository (git checkout models/).',
      );
    }
    const hash = await sha256Hex(bytes);
    if (hash !== expected.sha256) {
      throw new HandsError(
        'model-corrupt',
        `model file ${src.location}${name} does not match its sha256 in manifest.json (tampered or corrupt)`,
        'Restore the models folder from the repository (git checkout models/).',
      );
    }
  }
  return bytes;
}

/** One model file, size- and hash-checked against the manifest (for non-graph models). */
export function loadCheckedFile(
  src: FileSource,
  name: string,
  expected: { bytes: number; sha256: string } | undefined,
  onBytes: (n: number) => void = () => undefined,
): Promise<Uint8Array> {
  return readChecked(src, name, expected, onBytes);
}

/**
 * Loads a TF.js graph model listed in the manifest: JSON + shards, every file size- and
 * hash-checked, weights concatenated in manifest order.
 */
export async function loadManifestGraphModel(
  src: FileSource,
  manifest: ModelManifest,
  name: string,
  onProgress?: (p: LoadProgress) => void,
  progressBase = { loaded: 0, total: 0 },
): Promise<GraphModel> {
  const entry = manifestModel(manifest, name);
  const jsonName = Object.keys(entry.files).find((f) => f.endsWith('.json'));
  if (!jsonName)
    throw new HandsError('model-corrupt', `model "${name}" has no .json file in the manifest`, 'Restore models/manifest.json from the repository.');
  let loadedBefore = progressBase.loaded;
  const report = (file: string) => (n: number) => onProgress?.({ file, loaded: loadedBefore + n, total: progressBase.total });
  const jsonBytes = await readChecked(src, jsonName, entry.files[jsonName], report(jsonName));
  loadedBefore += jsonBytes.byteLength;
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBytes)) as ModelJson;
    if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error('not a TF.js graph model');
  } catch (err) {
    throw new HandsError(
      'model-corrupt',
      `model file ${src.location}${jsonName} is not a valid TF.js model: ${(err as Error).message}`,
      'Restore the models folder from the repository.',
      { cause: err },
    );
  }
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const bytes = await readChecked(src, path, entry.files[path], report(path));
      loadedBefore += bytes.byteLength;
      shards.push(bytes);
    }
  }
  const size = shards.reduce((n, s) => n + s.byteLength, 0);
  const weightData = new Uint8Array(size);
  let offset = 0;
  for (const s of shards) {
    weightData.set(s, offset);
    offset += s.byteLength;
  }
  progressBase.loaded = loadedBefore;
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as tf.io.ModelArtifacts['signature'],
    userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
  };
  try {
    return await loadGraphModel({ load: async () => artifacts });
  } catch (err) {
    throw new HandsError(
      'model-corrupt',
      `model "${name}" could not be built from ${src.location}${jsonName}: ${(err as Error).message}`,
      'Restore the models folder from the repository.',
      { cause: err },
    );
  }
}
