import { createNodePipeline } from '../../src/cli/nodePipeline';
import type { DeepPartial, PipelineConfig } from '../../src/core/config';
import type { HandPipeline } from '../../src/core/pipeline';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** A pipeline on the Node WASM backend with the repository's models (as the CLI runs it). */
export function nodePipeline(config: DeepPartial<PipelineConfig> = {}): Promise<HandPipeline> {
  return createNodePipeline(config);
}
