// Prints, as JSON, one fresh process's wasm start-up in Node: compile,
// instantiate and the first two P-256 chain checks. scripts/bench.mjs runs it
// several times and keeps the medians.
import fs from 'node:fs';
import { initSync, verifyChain } from '../pkg/mtls_check.js';

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const chain = fs.readFileSync('tests/fixtures/p256-chain.pem');
const truststore = fs.readFileSync('tests/fixtures/p256-truststore.pem');
const bytes = fs.readFileSync('pkg/mtls_check_bg.wasm');
const options = { profile: 'apigw-rest', at: '2030-06-15T12:00:00Z' };

let start = nowMs();
const module = new WebAssembly.Module(bytes);
const compileMs = nowMs() - start;

start = nowMs();
initSync({ module });
const instantiateMs = nowMs() - start;

start = nowMs();
verifyChain(chain, truststore, options);
const firstMs = nowMs() - start;

start = nowMs();
verifyChain(chain, truststore, options);
const secondMs = nowMs() - start;

console.log(JSON.stringify({ compileMs, instantiateMs, firstMs, secondMs }));
