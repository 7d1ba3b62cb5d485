// Entry point for Node.js 20 and later: reads the .wasm file from disk, because
// Node's fetch() does not accept file: URLs, and compiles it synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './mtls_check.js';

initSync({ module: readFileSync(new URL('./mtls_check_bg.wasm', import.meta.url)) });

export * from './mtls_check.js';
