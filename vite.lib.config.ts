import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { wasmThreadsSurviveMinify } from './scripts/wasmThreadsSurviveMinify';

/**
 * The library build (`npm run build:lib`, run by `npm pack`), two passes into dist-lib/:
 * - `--mode browser`: src/lib/browser.ts and its worker (src/lib/worker.ts) with TF.js bundled in, one self-contained ES module whose
 *   only references are relative to itself (the package's models/ and dist-lib/wasm/, where the
 *   TF.js WASM binaries are copied so a browser never reaches for TF.js's CDN). Bundled because
 *   TF.js's WASM backend imports a CommonJS worker file that an app's bundler would have to
 *   pre-bundle, which would move this module away from its files.
 * - `--mode node`: src/lib/node.ts with its dependencies left to Node (installed with the package).
 * Declarations come from tsconfig.lib.json.
 */
const ROOT = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const require = createRequire(import.meta.url);
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) =>
  require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${f}`),
);

const dependency = (id: string) => Object.keys(pkg.dependencies).some((d) => id === d || id.startsWith(`${d}/`));
const builtin = (id: string) => id.startsWith('node:') || builtinModules.includes(id);

function wasmBinaries(): Plugin {
  return {
    name: 'hands-lib-wasm-binaries',
    generateBundle() {
      for (const path of WASM_FILES) this.emitFile({ type: 'asset', fileName: `wasm/${basename(path)}`, source: readFileSync(path) });
    },
  };
}

export default defineConfig(({ mode }) => {
  const browser = mode === 'browser';
  if (!browser && mode !== 'node') throw new Error(`vite.lib.config.ts: --mode browser or --mode node, not ${mode}`);
  return {
    // minified like the site: the same guard must be said false before the minifier sees it
    plugins: browser ? [wasmBinaries(), wasmThreadsSurviveMinify()] : [],
    publicDir: false,
    build: {
      outDir: 'dist-lib',
      // the browser pass runs first and starts from an empty folder
      emptyOutDir: browser,
      target: 'es2022',
      // the browser bundle carries TF.js: minified, without a 15 MB source map
      minify: browser,
      sourcemap: !browser,
      lib: {
        entry: browser ? { browser: join(ROOT, 'src/lib/browser.ts'), worker: join(ROOT, 'src/lib/worker.ts') } : { node: join(ROOT, 'src/lib/node.ts') },
        formats: ['es'],
      },
      rollupOptions: { external: browser ? builtin : (id: string) => dependency(id) || builtin(id) },
    },
  };
});
