import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * Hex SHA-256 of a model file. Web Crypto where it exists (Node, browsers in secure contexts);
 * elsewhere, e.g. a page served over plain http on a LAN address where `crypto.subtle` is
 * undefined, a kept JS implementation (@noble/hashes), so the integrity check never silently
 * turns off.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256HexJs(bytes);
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest));
}

/** The JS fallback alone (synchronous; ~10 MB of weights hash in well under a second). */
export function sha256HexJs(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
