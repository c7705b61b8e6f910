/**
 * Typed errors that say what happened and what to do. The page and the CLI map `code` to a message
 * and (CLI) an exit code; nothing else should need to parse `message`.
 */
export type HandsErrorCode =
  | 'unsupported-file'
  | 'corrupt-file'
  | 'empty-file'
  | 'image-too-large'
  | 'file-not-found'
  | 'camera-denied'
  | 'camera-missing'
  | 'camera-failed'
  | 'backend-unavailable'
  | 'model-missing'
  | 'model-corrupt'
  | 'invalid-config'
  | 'internal';

export class HandsError extends Error {
  readonly code: HandsErrorCode;
  /** One sentence the user can act on. */
  readonly hint: string;

  constructor(code: HandsErrorCode, message: string, hint = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HandsError';
    this.code = code;
    this.hint = hint;
  }

  /** Plain object for postMessage / JSON (Error objects lose their fields when cloned). */
  toJSON(): { code: HandsErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }

  static from(err: unknown): HandsError {
    if (err instanceof HandsError) return err;
    if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as { code: unknown }).code === 'string') {
      const e = err as { code: HandsErrorCode; message: string; hint?: string };
      return new HandsError(e.code, e.message, e.hint ?? '');
    }
    const message = err instanceof Error ? err.message : String(err);
    return new HandsError('internal', message, 'This is a bug; please report it with the input that caused it.', { cause: err });
  }
}
