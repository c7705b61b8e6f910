import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { REPO_ROOT } from './paths';

/** Debian's chromium (scripts/setup-system.sh installs it); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's chromium, headless, offline-quiet. SwiftShader gives WebGL without a GPU; without
 * --enable-unsafe-webgpu headless chromium offers no WebGPU adapter, so the page falls back.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
export const FAKE_CAMERA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The Vite dev server on a free port, without file watching (edits elsewhere must not reload the page).
 * `host` other than loopback serves it the way a LAN address would (no secure context, no crypto.subtle).
 */
export async function startDevServer(plugins: Plugin[] = [], host = '127.0.0.1'): Promise<{ server: ViteDevServer; origin: string }> {
  const port = await freePort(host);
  const server = await createServer({
    root: REPO_ROOT,
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    plugins,
    server: { host, port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  return { server, origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
