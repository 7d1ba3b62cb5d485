// Prints, as JSON, the memory of one truststore lint in a fresh Node process:
// the wasm linear memory after the call (it never shrinks, so this is the
// module's peak) and the growth of the process's maximum resident set.
import fs from 'node:fs';
import { initSync, lintTruststore } from '../pkg/mtls_check.js';

const file = process.argv[2];
const truststore = fs.readFileSync(file);
const exports = initSync({ module: new WebAssembly.Module(fs.readFileSync('pkg/mtls_check_bg.wasm')) });
const baseKb = process.resourceUsage().maxRSS;
const wasmBeforeBytes = exports.memory.buffer.byteLength;

lintTruststore(truststore, { profile: 'apigw-rest', at: '2030-06-15T12:00:00Z' });

console.log(JSON.stringify({
  wasmMemoryBeforeBytes: wasmBeforeBytes,
  wasmMemoryBytes: exports.memory.buffer.byteLength,
  rssGrowthKb: process.resourceUsage().maxRSS - baseKb,
}));
