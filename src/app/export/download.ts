/**
 * Saves `blob` as a file: an object URL clicked through an <a download>. The URL is revoked a
 * little later (revoking it in the same task can cancel the download in some browsers).
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
