// Entry point for browsers, Deno and bundlers: fetches the .wasm file beside
// this module and initialises it before the exports are used.
import init from './mtls_check.js';

await init({ module_or_path: new URL('./mtls_check_bg.wasm', import.meta.url) });

export * from './mtls_check.js';
