/** Picks the loader for --format (or detects it from the files) and loads a data set. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HandsError } from '../../core/errors';
import { findCocoJson, isCocoJson, loadCoco } from './coco';
import { readJson } from './common';
import { freihandPrefix, loadFreihand } from './freihand';
import { isHgcnnJson, loadHgcnn } from './hgcnn';
import { interhandFiles, loadInterhand } from './interhand';
import { loadMasks, maskPairs } from './masks';
import { DATASET_FORMATS, type DatasetFormat, type EvalDataset, type LoadOptions } from './types';

/** Which format a path holds, from its files; undefined when none fits. */
export async function detectFormat(path: string): Promise<DatasetFormat | undefined> {
  if (!existsSync(path)) throw new HandsError('file-not-found', `${path}: no such file or folder`, 'Check the --dataset path.');
  if (statSync(path).isFile()) {
    if (!path.endsWith('.json')) return undefined;
    const j = await readJson(path);
    if (isHgcnnJson(j)) return 'hgcnn';
    if (isCocoJson(j)) return 'coco';
    return undefined;
  }
  if (existsSync(join(path, 'annotations.json')) && isHgcnnJson(await readJson(join(path, 'annotations.json')))) return 'hgcnn';
  if (interhandFiles(path)) return 'interhand';
  if (freihandPrefix(path) !== undefined) return 'freihand';
  if (await findCocoJson(path)) return 'coco';
  if (maskPairs(path).length) return 'masks';
  return undefined;
}

export async function loadDataset(path: string, format: DatasetFormat | 'auto', opts: LoadOptions = {}): Promise<EvalDataset> {
  const fmt = format === 'auto' ? await detectFormat(path) : format;
  if (!fmt)
    throw new HandsError(
      'unsupported-file',
      `${path}: cannot tell the data-set format`,
      `Pass --format (${DATASET_FORMATS.join(', ')}): hgcnn = annotations.json with uv_crop256; coco = a COCO keypoint json; freihand = <split>_K.json + <split>_xyz.json; interhand = *_data/_camera/_joint_3d.json; masks = <name>.jpg + <name>.bmp/.png.`,
    );
  try {
    switch (fmt) {
      case 'hgcnn':
        return await loadHgcnn(path, opts);
      case 'coco':
        return await loadCoco(path, opts);
      case 'freihand':
        return await loadFreihand(path, opts);
      case 'interhand':
        return await loadInterhand(path, opts);
      case 'masks':
        return await loadMasks(path, opts);
    }
  } catch (err) {
    if (err instanceof HandsError) throw err;
    throw new HandsError('unsupported-file', `${path} (${fmt}): ${(err as Error).message}`, 'Check --format and that the files are complete.', { cause: err });
  }
}
