/**
 * Where model files come from: the page fetches them from its own origin, Node reads them from
 * disk. Both hand the same bytes to the same loader, so the checks below run everywhere.
 */
export interface FileSource {
  /** A human-readable place for error messages, e.g. "/models/" or "/repo/models". */
  readonly location: string;
  /** Reads a file by its name in the models folder; reports bytes as they arrive. */
  read(name: string, onProgress?: (loaded: number) => void): Promise<Uint8Array>;
}
