import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const ROOT = dirname(fileURLToPath(import.meta.url));
const MODELS_DIR = join(ROOT, 'models');
const MODELS_URL = '/models/';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Sends one file from models/, or 404; never anything outside the folder. */
function sendModelFile(url: string, res: ServerResponse): boolean {
  const name = decodeURIComponent(url.split('?')[0]);
  const path = resolve(MODELS_DIR, `.${sep}${name}`);
  if (!path.startsWith(MODELS_DIR + sep) || !existsSync(path) || !statSync(path).isFile()) return false;
  res.setHeader('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', String(statSync(path).size));
  res.setHeader('Cache-Control', 'no-cache');
  createReadStream(path).pipe(res);
  return true;
}

/**
 * The repository's models/ folder, served verbatim at /models/ (dev and preview) and copied into
 * dist/models/ on build. The core loader checks every file against models/manifest.json, so the
 * bytes must not pass through Vite's asset pipeline (no hashing, no inlining).
 */
function modelsFolder(): Plugin {
  const middleware = (req: { url?: string }, res: ServerResponse, next: () => void) => {
    if (!req.url?.startsWith(MODELS_URL)) return next();
    if (sendModelFile(req.url.slice(MODELS_URL.length), res)) return;
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`not found: ${req.url}`);
  };
  return {
    name: 'hands-models-folder',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
    generateBundle() {
      for (const file of readdirSync(MODELS_DIR)) {
        const path = join(MODELS_DIR, file);
        if (statSync(path).isFile()) this.emitFile({ type: 'asset', fileName: `models/${file}`, source: readFileSync(path) });
      }
    },
  };
}

/**
 * Cross-origin isolation (COOP same-origin + COEP require-corp) on every response of the dev and
 * preview servers: without it the page has no SharedArrayBuffer, so TF.js's WASM backend cannot
 * use its threaded binary and runs on one thread. Set by a middleware that runs before Vite's own
 * (server.headers would miss responses our other middlewares send). The page loads only
 * same-origin files (see the CSP in index.html), so require-corp blocks nothing it uses. Static
 * hosts need the same two headers: public/_headers for hosts that read it, README "Run" for others.
 */
const CROSS_ORIGIN_ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function crossOriginIsolation(): Plugin {
  const middleware = (_req: unknown, res: ServerResponse, next: () => void) => {
    for (const [k, v] of Object.entries(CROSS_ORIGIN_ISOLATION)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'hands-cross-origin-isolation',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  plugins: [crossOriginIsolation(), modelsFolder()],
  // module workers can share chunks with the page and use dynamic import
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1' },
  // pre-bundle up front: a dependency discovered late (e.g. inside the worker) would make the dev
  // server reload the page mid-run
  optimizeDeps: {
    entries: ['index.html', 'src/app/worker/inference.worker.ts'],
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-converter',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      'three',
      'three/examples/jsm/renderers/CSS2DRenderer.js',
      'three/examples/jsm/lines/LineSegments2.js',
      'three/examples/jsm/lines/LineSegmentsGeometry.js',
      'three/examples/jsm/lines/LineMaterial.js',
      'three/examples/jsm/controls/OrbitControls.js',
      'three/examples/jsm/exporters/GLTFExporter.js',
      'three/examples/jsm/exporters/OBJExporter.js',
      'lil-gui',
    ],
  },
});
