import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { wasmThreadsSurviveMinify } from './scripts/wasmThreadsSurviveMinify';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS } from './src/app/isolationHeaders';

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
 * Cross-origin isolation (src/app/isolationHeaders.ts) on every response of the dev and preview
 * servers. Set by a middleware that runs before Vite's own (server.headers would miss responses
 * our other middlewares send). The page loads only same-origin files (see the CSP in index.html),
 * so require-corp blocks nothing it uses. Static hosts: public/_headers for hosts that read it,
 * and the service worker (offlineApp) adds them from the second load on where a host cannot.
 */
function crossOriginIsolation(): Plugin {
  const middleware = (_req: unknown, res: ServerResponse, next: () => void) => {
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'hands-cross-origin-isolation',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

/** Precache entries above Workbox's 2 MB default: the models (up to 5.4 MB a file, ~18 MB in all). */
const MAX_PRECACHED_FILE_BYTES = 32 * 1024 * 1024;

/**
 * The built site as an installable app that works offline (vite-plugin-pwa; off under the dev
 * server): a web manifest, and a service worker (src/app/pwaServiceWorker.ts, Workbox bundled in)
 * that precaches the page, its scripts, the TF.js WASM binaries and models/. models/ is globbed
 * from the build output (modelsFolder emits it), each file's revision a hash of its content.
 * Icons: public/icon-{192,512}.png, rendered from public/favicon.svg with sharp (README "Offline").
 */
function offlineApp(): Plugin[] {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/app',
    filename: 'pwaServiceWorker.ts',
    registerType: 'prompt',
    injectRegister: false, // src/app/pwaUpdate.ts registers it, with the update prompt
    devOptions: { enabled: false },
    injectManifest: {
      // the plugin adds the web manifest and its icons itself
      globPatterns: ['**/*.{html,js,css,wasm}', 'models/*.{json,bin}'],
      maximumFileSizeToCacheInBytes: MAX_PRECACHED_FILE_BYTES,
    },
    manifest: {
      name: 'Hands: live hand understanding',
      short_name: 'Hands',
      description: 'Live hand keypoints, 3D pose, mask and mesh, computed on this device.',
      start_url: '.',
      scope: '.',
      display: 'standalone',
      background_color: '#171a20',
      theme_color: '#171a20',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
  });
}

export default defineConfig({
  plugins: [crossOriginIsolation(), modelsFolder(), wasmThreadsSurviveMinify(), offlineApp()],
  // module workers can share chunks with the page and use dynamic import; the worker bundle gets
  // only the plugins named here
  worker: { format: 'es', plugins: () => [wasmThreadsSurviveMinify()] },
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
