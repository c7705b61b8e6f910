import type { Plugin } from 'vite';

/** In TF.js's threaded WASM glue: a guard the pthread workers run, on a variable they never have. */
const SCRIPT_DIR_GUARD = 'typeof _scriptDir !== "undefined" && _scriptDir';

/**
 * TF.js starts each WASM thread from a blob holding `factory.toString()`, so the factory must not
 * reach outside itself. The minifier turns its `typeof _scriptDir !== "undefined"` (a variable of
 * the enclosing scope, absent from the blob) into `e !== void 0`, which throws "e is not defined"
 * in every thread of the built site once it is cross-origin isolated. _scriptDir comes from
 * document.currentScript, which is null in a module worker (where the page and the library's
 * worker mode load TF.js) and in any module script, so the guard is always false in a browser:
 * say so before the minifier sees it. The dev server does not minify. Used by vite.config.ts (the
 * site and its worker) and vite.lib.config.ts (the library's browser build).
 */
export function wasmThreadsSurviveMinify(): Plugin {
  return {
    name: 'hands-tfjs-wasm-threads-minify',
    apply: 'build',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js') || id.includes('.worker.')) return null;
      if (!code.includes(SCRIPT_DIR_GUARD)) this.error(`${id}: no "${SCRIPT_DIR_GUARD}" (TF.js changed? see wasmThreadsSurviveMinify)`);
      return { code: code.replace(SCRIPT_DIR_GUARD, 'false'), map: null };
    },
  };
}
