#!/usr/bin/env node
// Entry point of the `hands` command: runs the TypeScript CLI (src/cli/main.ts) through tsx, so
// the command line executes exactly the src/core code the page runs, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
