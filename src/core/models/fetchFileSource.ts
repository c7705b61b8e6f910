import type { FileSource } from './fileSource';

export interface FetchFileSourceOptions {
  /**
   * Refuse any URL outside this origin (the page passes its own: nothing may leave the device).
   * Omitted, any URL the caller named is fetched (the library, where the embedding app chooses).
   */
  sameOriginAs?: string;
}

/**
 * Model files fetched from a base URL, streamed so a progress bar moves while a multi-megabyte
 * shard arrives. Works in a page, in a worker, and in Node 18+ (global fetch) for http(s) URLs.
 */
export class FetchFileSource implements FileSource {
  readonly location: string;

  constructor(
    baseUrl: string,
    private readonly options: FetchFileSourceOptions = {},
  ) {
    this.location = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  async read(name: string, onProgress?: (loaded: number) => void): Promise<Uint8Array> {
    const url = new URL(name, this.location);
    const { sameOriginAs } = this.options;
    if (sameOriginAs !== undefined && url.origin !== sameOriginAs) throw new Error(`refusing to fetch ${url.href}: not this page's origin`);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (err) {
      throw new Error(`network error fetching ${url.pathname}: ${(err as Error).message}`, { cause: err });
    }
    if (res.status === 404) throw new Error(`${url.pathname} was not found on the server (HTTP 404)`);
    if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status} ${res.statusText}`);
    if (!res.body) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      onProgress?.(bytes.byteLength);
      return bytes;
    }
    return readStream(res.body, onProgress);
  }
}

/** Collects a byte stream, reporting the running total; one copy at the end at most. */
async function readStream(body: ReadableStream<Uint8Array>, onProgress?: (loaded: number) => void): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.(loaded);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
