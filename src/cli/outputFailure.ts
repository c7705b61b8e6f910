import { EXIT } from './exitCodes';

/**
 * Runs one output write of a command. A failure does not stop the run (the other outputs and the
 * results still count): it is reported as `error: could not write <what>: <why>` and earns
 * EXIT.output, which the caller folds into its exit code with Math.max.
 */
export async function writeOutput(what: string, warn: (line: string) => void, write: () => Promise<void>): Promise<number> {
  try {
    await write();
    return EXIT.ok;
  } catch (err) {
    warn(`error: could not write ${what}: ${(err as Error).message}`);
    return EXIT.output;
  }
}
