// Measures the quick core figures: the .wasm size (raw and gzipped) and the
// time to lint Debian's CA bundle natively (whole CLI process) and in wasm
// under Node (lintTruststore and lintTruststoreAsync), side by side in one
// run. It prints them and writes target/bench/core.md; `make bench` writes
// the full docs/benchmarks.md. Run it through `make bench-core`, which builds
// both targets first.
import fs from 'node:fs';
import zlib from 'node:zlib';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { initSync, lintTruststore, lintTruststoreAsync } from '../pkg/mtls_check.js';

const ROUNDS = 15;
const BUNDLE = process.env.BUNDLE || '/etc/ssl/certs/ca-certificates.crt';
const AT = '2026-12-04T00:00:00Z';
const CLI = 'target/release/mtls-check';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function timeNative() {
  const times = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const start = process.hrtime.bigint();
    try {
      execFileSync(CLI, ['lint', BUNDLE, '--at', AT, '--format', 'json'], { stdio: ['ignore', 'ignore', 'ignore'] });
    } catch (error) {
      if (error.status !== 1) throw error;
    }
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

async function timeWasm(lint, bytes) {
  const times = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const start = process.hrtime.bigint();
    await lint(bytes, { profile: 'apigw-rest', at: AT });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const wasmBytes = fs.readFileSync('pkg/mtls_check_bg.wasm');
const compileStart = process.hrtime.bigint();
const module = new WebAssembly.Module(wasmBytes);
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
initSync({ module });

const bundle = fs.readFileSync(BUNDLE);
const firstStart = process.hrtime.bigint();
const report = lintTruststore(bundle, { profile: 'apigw-rest', at: AT });
const firstMs = Number(process.hrtime.bigint() - firstStart) / 1e6;

const nativeMs = timeNative();
const wasmMs = await timeWasm(lintTruststore, bundle);
const asyncMs = await timeWasm(lintTruststoreAsync, bundle);
const gzipBytes = zlib.gzipSync(wasmBytes, { level: 9 }).length;

const lines = [
  '# Core benchmarks',
  '',
  'Measured by `make bench-core` (`node scripts/bench-core.mjs` after a release',
  'build of the CLI and of `pkg/`). Medians of ' + ROUNDS + ' runs, native and wasm',
  'measured side by side in one run on the same machine. These are',
  'measurements, not test assertions; the machine is shared and noisy.',
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, measured ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '## Size of the WebAssembly module',
  '',
  '| file | raw bytes | gzip -9 bytes |',
  '| --- | ---: | ---: |',
  `| pkg/mtls_check_bg.wasm as \`make pkg\` ships it | ${wasmBytes.length} | ${gzipBytes} |`,
  '',
  '## Linting Debian\'s CA bundle',
  '',
  `Input: \`${BUNDLE}\`, ${bundle.length} bytes, ${report.items.length} certificates, profile apigw-rest, check time ${AT}.`,
  '',
  '| runtime | median ms | ratio to native |',
  '| --- | ---: | ---: |',
  `| native CLI, whole process (\`mtls-check lint --format json\`) | ${nativeMs.toFixed(1)} | 1.00 |`,
  `| wasm in Node, \`lintTruststore\` call | ${wasmMs.toFixed(1)} | ${(wasmMs / nativeMs).toFixed(2)} |`,
  `| wasm in Node, \`lintTruststoreAsync\` call (WebCrypto) | ${asyncMs.toFixed(1)} | ${(asyncMs / nativeMs).toFixed(2)} |`,
  '',
  `Wasm start-up in the same run: compile ${compileMs.toFixed(1)} ms, first lint call ${firstMs.toFixed(1)} ms.`,
  '',
];
fs.mkdirSync('target/bench', { recursive: true });
fs.writeFileSync('target/bench/core.md', lines.join('\n'));
console.log(lines.join('\n'));
