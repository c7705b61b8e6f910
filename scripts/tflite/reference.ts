/**
 * The reference interpreter for converter parity: Google's TFLite C++ runtime compiled to WASM
 * (`@tensorflow/tfjs-tflite`'s `tflite_web_api`, Apache-2.0), run in headless Debian chromium on
 * the original `.tflite` bytes. It shares nothing with our converter or TF.js's kernels, so equal
 * outputs mean the conversion is right.
 *
 * Files are served from a throw-away loopback server (the runtime's WASM, the model, an empty page);
 * no request leaves the machine.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { launchChromium } from '../../src/cli/browser';

const require = createRequire(import.meta.url);
const WASM_DIR = join(dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

export interface ReferenceOutput {
  name: string;
  shape: number[];
  data: Float32Array;
}

function serve(model: Uint8Array): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    let body: Uint8Array | string;
    if (path === '/') body = '<!doctype html><title>tflite reference</title>';
    else if (path === '/model.tflite') body = model;
    else if (/^\/wasm\/[\w.]+$/.test(path)) {
      try {
        body = readFileSync(join(WASM_DIR, path.slice(6)));
      } catch {
        res.writeHead(404).end();
        return;
      }
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? (path === '/' ? 'text/html' : 'application/octet-stream') });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

/**
 * Runs a float32 TFLite model on each input (one Float32Array per model input, row-major, per
 * call) and returns every output of every call.
 */
export async function runTfliteReference(model: Uint8Array, calls: Float32Array[][]): Promise<ReferenceOutput[][]> {
  const { server, origin } = await serve(model);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(origin);
    await page.addScriptTag({ url: `${origin}/wasm/tflite_web_api_client.js` });
    const raw = await page.evaluate(
      async ({ calls }) => {
        interface TensorInfo {
          name: string;
          shape: string;
          data(): Float32Array;
        }
        const tfweb = (
          globalThis as unknown as {
            tfweb: {
              tflite_web_api: { setWasmPath(p: string): void };
              TFLiteWebModelRunner: {
                create(m: ArrayBuffer, o: object): Promise<{ getInputs(): TensorInfo[]; getOutputs(): TensorInfo[]; infer(): boolean; cleanUp(): void }>;
              };
            };
          }
        ).tfweb;
        tfweb.tflite_web_api.setWasmPath('/wasm/');
        const bytes = await (await fetch('/model.tflite')).arrayBuffer();
        // one thread: the plain (non-threaded) runtime, deterministic
        const runner = await tfweb.TFLiteWebModelRunner.create(bytes, { numThreads: 1 });
        const results: Array<Array<{ name: string; shape: number[]; data: number[] }>> = [];
        for (const inputs of calls) {
          runner.getInputs().forEach((t, i) => t.data().set(inputs[i]));
          if (!runner.infer()) throw new Error('TFLite inference failed');
          results.push(runner.getOutputs().map((t) => ({ name: t.name, shape: t.shape.split(',').map(Number), data: Array.from(t.data()) })));
        }
        runner.cleanUp();
        return results;
      },
      { calls: calls.map((inputs) => inputs.map((a) => Array.from(a))) },
    );
    return raw.map((outs) => outs.map((o) => ({ name: o.name, shape: o.shape, data: Float32Array.from(o.data) })));
  } finally {
    await browser.close();
    server.close();
  }
}
