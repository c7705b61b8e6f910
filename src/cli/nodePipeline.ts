import { HandPipeline } from '../core/pipeline';
import type { DeepPartial, PipelineConfig } from '../core/config';
import type { BackendName } from '../core/types';
import { NodeFileSource } from './nodeFileSource';
import { MODELS_DIR, WASM_DIR } from './paths';

/**
 * The page's pipeline, in Node: WASM backend (CPU, SIMD) with binaries and models read from local
 * files. The CLI, the tests, eval and bench all start here.
 */
export async function createNodePipeline(
  config: DeepPartial<PipelineConfig> = {},
  opts: { modelsDir?: string; backend?: BackendName } = {},
): Promise<HandPipeline> {
  return HandPipeline.create({
    files: new NodeFileSource(opts.modelsDir ?? MODELS_DIR),
    config,
    backend: { order: [opts.backend ?? 'wasm'], wasmPaths: WASM_DIR },
  });
}
