import type { HandsErrorCode } from '../core/errors';

/** Exit codes of the `hands` command (documented in the README; scripts may rely on them). */
export const EXIT = {
  ok: 0,
  /** Wrong arguments. */
  usage: 2,
  /** At least one input could not be read: missing, empty, corrupt, unsupported or too large. */
  badInput: 3,
  /** A model file is missing, truncated or does not match its hash. */
  model: 4,
  /** No TF.js backend could start. */
  backend: 5,
  /** Could not write an output file. */
  output: 6,
  /** A bug. */
  internal: 70,
} as const;

export function exitCodeFor(code: HandsErrorCode): number {
  switch (code) {
    case 'unsupported-file':
    case 'corrupt-file':
    case 'empty-file':
    case 'image-too-large':
    case 'file-not-found':
      return EXIT.badInput;
    case 'model-missing':
    case 'model-corrupt':
      return EXIT.model;
    case 'backend-unavailable':
      return EXIT.backend;
    case 'invalid-config':
      return EXIT.usage;
    default:
      return EXIT.internal;
  }
}
