/**
 * The service worker of the built site (vite-plugin-pwa, injectManifest): after the first visit the
 * page, its scripts, the TF.js WASM binaries and models/ come from a precache, so the app loads with
 * no network at all. Workbox is bundled into this file: nothing is imported from a CDN.
 *
 * Every response it serves carries the cross-origin isolation headers, so a static host that
 * cannot set them (GitHub Pages and the like) still gets SharedArrayBuffer, hence threaded WASM,
 * from the second load on.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { ISOLATION_HEADERS } from './isolationHeaders';

/** The members of ServiceWorkerGlobalScope we use (the DOM lib types `self` as Window). */
interface ServiceWorkerScope {
  /** Replaced at build time by the list of files to precache, each with its content revision. */
  readonly __WB_MANIFEST: Array<PrecacheEntry | string>;
  readonly registration: { readonly scope: string };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (e: MessageEvent<unknown>) => void): void;
}

const scope = self as unknown as ServiceWorkerScope;

/** `response` with the isolation headers added (headers of a fetched Response are immutable: a copy). */
function withIsolationHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolationHeaders(response) }]);
// written as `self.__WB_MANIFEST`: the literal text the build replaces
precacheAndRoute((self as unknown as ServiceWorkerScope).__WB_MANIFEST);
cleanupOutdatedCaches();

// The page with options in its query (?backend=wasm) is still index.html: precache matching keeps
// the query, so these navigations get their own route to the cached page.
const root = new URL(scope.registration.scope).pathname;
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && (url.pathname === root || url.pathname === `${root}index.html`),
  createHandlerBoundToURL('index.html'),
);

// 'prompt' updates: a new version waits until the page's Reload button asks for it (pwaUpdate.ts)
scope.addEventListener('message', (e) => {
  if ((e.data as { type?: string } | null)?.type === 'SKIP_WAITING') void scope.skipWaiting();
});
