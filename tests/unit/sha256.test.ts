import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HandsError } from '../../src/core/errors';
import type { FileSource } from '../../src/core/models/fileSource';
import { loadCheckedFile } from '../../src/core/models/loadGraphModel';
import { loadJsonAsset } from '../../src/core/models/loadJsonAsset';
import type { ModelManifest } from '../../src/core/models/manifest';
import { sha256Hex, sha256HexJs } from '../../src/core/models/sha256';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const nodeHex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const manifest = JSON.parse(readFileSync(`${MODELS}manifest.json`, 'utf8')) as ModelManifest;

/** Serves the real models folder, optionally with one byte of one file flipped (same size). */
function diskSource(tamper?: string): FileSource {
  return {
    location: MODELS,
    read: async (name) => {
      const bytes = new Uint8Array(readFileSync(`${MODELS}${name}`));
      if (name === tamper) bytes[bytes.length >> 1] ^= 0x01;
      return bytes;
    },
  };
}

describe('sha256 without Web Crypto (plain-http pages on a LAN address)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('the JS fallback gives node:crypto digests at every block boundary, on random data and on real model files', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 65_537]) {
      const b = new Uint8Array(randomBytes(n));
      expect(sha256HexJs(b), `${n} bytes`).toBe(nodeHex(b));
    }
    for (const f of ['gesture-classifier.json', 'hand-model.json']) {
      const b = new Uint8Array(readFileSync(`${MODELS}${f}`));
      expect(sha256HexJs(b), f).toBe(nodeHex(b));
    }
  });

  it('sha256Hex uses Web Crypto where it exists and the fallback where crypto.subtle is missing, with the same digest', async () => {
    const b = new Uint8Array(randomBytes(3 * 1024 * 1024 + 7));
    const want = nodeHex(b);
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    expect(await sha256Hex(b)).toBe(want); // Web Crypto (Node has it)
    expect(digest).toHaveBeenCalledTimes(1);
    vi.stubGlobal('crypto', {}); // a page outside a secure context: crypto without subtle
    expect(globalThis.crypto.subtle).toBeUndefined();
    expect(await sha256Hex(b)).toBe(want);
    expect(digest).toHaveBeenCalledTimes(1); // not again: the fallback answered
    digest.mockRestore();
  });

  it('with crypto.subtle missing, a tampered model file of the right size is still refused (model-corrupt), an intact one loads', async () => {
    vi.stubGlobal('crypto', {});
    const name = 'gesture-classifier';
    const file = 'gesture-classifier.json';
    await expect(loadJsonAsset(diskSource(), manifest, name, file, 'gesture classifier')).resolves.toBeTypeOf('object');
    const err = await loadJsonAsset(diskSource(file), manifest, name, file, 'gesture classifier').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandsError);
    expect((err as HandsError).code).toBe('model-corrupt');
    expect((err as HandsError).message).toMatch(/sha256/);
    const shard = Object.keys(manifest.models['handlandmark-full'].files).find((f) => f.endsWith('.bin'))!;
    const expected = manifest.models['handlandmark-full'].files[shard];
    await expect(loadCheckedFile(diskSource(), shard, expected)).resolves.toHaveLength(expected.bytes);
    await expect(loadCheckedFile(diskSource(shard), shard, expected)).rejects.toMatchObject({ code: 'model-corrupt' });
  });
});
