import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/cli/paths.ts). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The models folder; HANDS_MODELS_DIR overrides it (tests use it to inject damaged files). */
export const MODELS_DIR = process.env.HANDS_MODELS_DIR || join(REPO_ROOT, 'models');

const require = createRequire(import.meta.url);
/** Folder of the TF.js WASM binaries inside node_modules (local files, never a CDN). */
export const WASM_DIR = `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
