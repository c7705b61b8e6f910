/**
 * The page's mesh exporter (render/meshExport.ts) for the command line: the same files, in the
 * same colours. Node has Blob but no FileReader, which GLTFExporter reads its binary output with:
 * handsToGlb supplies one first.
 */
import { handsToGlb as handsToGlbBytes, type ExportCamera, type ExportHand } from '../render/meshExport';

export { exportHand, handsToObj, type ExportCamera, type ExportHand, type MeshedHand } from '../render/meshExport';

/** Node's stand-in for the part of FileReader that GLTFExporter uses. */
function ensureFileReader(): void {
  if (typeof (globalThis as { FileReader?: unknown }).FileReader !== 'undefined') return;
  class NodeFileReader {
    result: ArrayBuffer | string | null = null;
    onloadend: (() => void) | null = null;
    readAsArrayBuffer(blob: Blob): void {
      void blob.arrayBuffer().then((b) => {
        this.result = b;
        this.onloadend?.();
      });
    }
    readAsDataURL(blob: Blob): void {
      void blob.arrayBuffer().then((b) => {
        this.result = `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(b).toString('base64')}`;
        this.onloadend?.();
      });
    }
  }
  (globalThis as { FileReader?: unknown }).FileReader = NodeFileReader;
}

/** One or more hands (and the source camera) as a binary glTF (.glb). */
export async function handsToGlb(hands: readonly ExportHand[], camera?: ExportCamera): Promise<Uint8Array> {
  ensureFileReader();
  return handsToGlbBytes(hands, camera);
}
