// The functions and report types, generated from the Rust sources by
// wasm-bindgen and tsify. Every entry point initialises the module on import.
export * from './mtls_check.js';
