/**
 * Cross-origin isolation: COOP same-origin + COEP require-corp. Without it the page has no
 * SharedArrayBuffer, so TF.js's WASM backend cannot use its threaded binary and runs on one thread.
 * Set by the dev and preview servers (vite.config.ts), by hosts that read public/_headers, and by
 * the service worker of the built site on everything it serves (pwaServiceWorker.ts).
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
