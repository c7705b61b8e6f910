/**
 * A tiny HTTP server on 127.0.0.1 for the MediaPipe web baseline: the page, the solution's own
 * files from node_modules/@mediapipe/hands (by exact name, nothing else of the disk), and the
 * frames the runner hands it. The page's whole world is this origin; nothing is fetched elsewhere.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { MEDIAPIPE_WEB_PAGE } from './mediapipeWebPage';

const TYPES: Record<string, string> = {
  js: 'text/javascript',
  // application/wasm lets chromium compile while it downloads
  wasm: 'application/wasm',
};

export interface LocalServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `/` (the page), `/mp/<file>` (files of `packageDir`) and `/frame/<i>` (`frame(i)`, raw
 * RGBA bytes, or undefined = 404).
 */
export async function startMediapipeWebServer(packageDir: string, frame: (i: number) => Buffer | undefined): Promise<LocalServer> {
  const files = new Set(readdirSync(packageDir));
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/' || path === '/index.html') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(MEDIAPIPE_WEB_PAGE);
        return;
      }
      const mp = /^\/mp\/([\w.-]+)$/.exec(path);
      if (mp && files.has(mp[1])) {
        res.setHeader('Content-Type', TYPES[mp[1].split('.').pop()!] ?? 'application/octet-stream');
        res.end(await readFile(join(packageDir, mp[1])));
        return;
      }
      const fr = /^\/frame\/(\d+)$/.exec(path);
      const body = fr ? frame(Number(fr[1])) : undefined;
      if (body) {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(body);
        return;
      }
      res.statusCode = 404;
      res.end();
    } catch (err) {
      res.statusCode = 500;
      res.end(String((err as Error).message));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
