// Entry point for Cloudflare Workers (workerd): the runtime does not compile
// wasm from bytes, so the bundler or workerd config provides the .wasm file
// as a compiled WebAssembly.Module.
import wasmModule from './mtls_check_bg.wasm';
import { initSync } from './mtls_check.js';

initSync({ module: wasmModule });

export * from './mtls_check.js';
