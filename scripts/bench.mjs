// Runs every benchmark of `make bench` in one go and rewrites docs/benchmarks.md.
// It measures the chain check (verifyChain and verifyChainAsync) against
// Node's X509Certificate, PKI.js, node-forge and @peculiar/x509, and the
// truststore lint (lintTruststore and lintTruststoreAsync) at 10, 142, this
// machine's bundle (150 on Debian 12) and 1,000 certificates. It also measures the CSR inspection, the native library with
// criterion, whole processes of `openssl verify` and `mtls-check verify`, and
// the wasm start-up, size and memory.
//
// `make bench` builds the CLI and pkg/ and installs bench/package.json first.
// Every figure is a median of repeated runs in this one process and run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { X509Certificate, webcrypto } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { initSync, inspectCsr, lintTruststore, lintTruststoreAsync, verifyChain, verifyChainAsync } from '../pkg/mtls_check.js';
import { breakdown } from './wasm-breakdown.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireBench = createRequire(path.join(ROOT, 'bench', 'package.json'));
const pkijs = requireBench('pkijs');
// @peculiar/x509 needs the Reflect metadata API loaded first.
requireBench('reflect-metadata');
const forge = requireBench('node-forge');
const peculiar = requireBench('@peculiar/x509');

const CLI = path.join(ROOT, 'target/release/mtls-check');
// The cargo output behind pkg/, which still has its name section; `make bench` passes it.
const CARGO_WASM = path.join(ROOT, process.env.WASM_FILE ?? 'target/wasm32-unknown-unknown/wasm-release/mtls_check.wasm');
const WORK = path.join(ROOT, 'target/bench');
const AT = '2030-06-15T12:00:00Z';
const AT_DATE = new Date(AT);
const AT_UNIX = Math.floor(AT_DATE.getTime() / 1000);
const PROFILE = 'apigw-rest';
// Chain rows run under PROFILE except where listed here. apigw-rest rejects Ed25519
// keys, so under it the Ed25519 row would time a deny next to Node's walk of an
// accepted path. rfc5280 accepts the Ed25519 fixture chain, so the row compares
// like with like.
const CHAIN_PROFILES = new Map([['ed25519', 'rfc5280']]);
const ALGORITHMS = ['rsa2048', 'p256', 'p384', 'ed25519'];
const DEBIAN_BUNDLE = 'tests/data/cases/debian-bundle-alb-quota/truststore.pem';
// This machine's own CA bundle (Debian's ca-certificates), measured when present.
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

// Each in-process measurement runs until it has MAX_ROUNDS samples or has
// spent TIME_BUDGET_MS, whichever comes first, after WARM_UP_ROUNDS unmeasured calls.
const WARM_UP_ROUNDS = 3;
const MIN_ROUNDS = 5;
const MAX_ROUNDS = 200;
const TIME_BUDGET_MS = 1500;
const PROCESS_ROUNDS = 9;
const STARTUP_PROCESSES = 9;

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto }));
peculiar.cryptoProvider.set(webcrypto);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function measure(run) {
  for (let i = 0; i < WARM_UP_ROUNDS; i += 1) {
    await run();
  }
  const samples = [];
  const started = nowMs();
  while (samples.length < MAX_ROUNDS && (samples.length < MIN_ROUNDS || nowMs() - started < TIME_BUDGET_MS)) {
    const start = nowMs();
    await run();
    samples.push(nowMs() - start);
  }
  return median(samples);
}

function measureProcess(command, args) {
  const samples = [];
  for (let i = 0; i < PROCESS_ROUNDS; i += 1) {
    const start = nowMs();
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    samples.push(nowMs() - start);
    if (result.error) throw result.error;
  }
  return median(samples);
}

const read = (relative) => fs.readFileSync(path.join(ROOT, relative));
const pemBlocks = (text) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
const derOf = (pem) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const arrayBufferOf = (buffer) => buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
// Formats milliseconds with three significant digits or so; null is "n/a".
function ms(value) {
  if (value === null || value === undefined) return 'n/a';
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  return value.toFixed(1);
}
const ratio = (value, base) => (value === null || base === null ? 'n/a' : `${(value / base).toFixed(2)}×`);

// ---- Inputs -------------------------------------------------------------

// Gathers distinct certificates from the fixtures, the case folders and the
// x509-limbo suite, in that order, for the composed truststores.
function distinctCertificates() {
  const seen = new Set();
  const add = (pem) => {
    const normalized = `-----BEGIN CERTIFICATE-----\n${derOf(pem).toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
    seen.add(normalized);
  };
  const pemFiles = (dir) => fs.readdirSync(path.join(ROOT, dir), { recursive: true })
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((name) => path.join(dir, name));
  for (const file of [...pemFiles('tests/fixtures'), ...pemFiles('tests/data/cases')]) {
    pemBlocks(read(file).toString('latin1')).forEach(add);
  }
  const limbo = JSON.parse(read('tests/data/conformance/limbo.json'));
  const walk = (value) => {
    if (typeof value === 'string') pemBlocks(value).forEach(add);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(limbo);
  return [...seen];
}

// The x509-limbo suite reuses a few subjects for hundreds of roots with
// different keys. A real bundle has at most a few CAs per subject (a rotation),
// so the composed one keeps at most MAX_PER_SUBJECT of each.
const MAX_PER_SUBJECT = 2;

function capPerSubject(pems, limit) {
  const counts = new Map();
  return pems.filter((pem) => {
    let subject;
    try {
      subject = new X509Certificate(pem).subject;
    } catch {
      return false;
    }
    const count = counts.get(subject) ?? 0;
    counts.set(subject, count + 1);
    return count < limit;
  });
}

function composeTruststores() {
  fs.mkdirSync(WORK, { recursive: true });
  const debian = read(DEBIAN_BUNDLE);
  const all = distinctCertificates();
  const capped = capPerSubject(all, MAX_PER_SUBJECT).slice(0, 1000);
  // Too few remain for 1,000, so the list repeats from its start up to 1,000.
  const thousand = Array.from({ length: 1000 }, (_, index) => capped[index % capped.length]);
  const files = {
    10: path.join(WORK, 'lint-10.pem'),
    142: path.join(ROOT, DEBIAN_BUNDLE),
    ...(fs.existsSync(SYSTEM_BUNDLE) ? { 150: SYSTEM_BUNDLE } : {}),
    1000: path.join(WORK, 'lint-1000.pem'),
  };
  fs.writeFileSync(files[10], pemBlocks(debian.toString('latin1')).slice(0, 10).join('\n') + '\n');
  fs.writeFileSync(files[1000], thousand.join(''));
  return { files, distinct: all.length, composed: capped.length };
}

function chainProfile(algorithm) {
  return CHAIN_PROFILES.get(algorithm) ?? PROFILE;
}

// Names an algorithm's rows, with the profile when it is not PROFILE.
function chainLabel(algorithm) {
  const profile = chainProfile(algorithm);
  return profile === PROFILE ? algorithm : `${algorithm} (profile ${profile})`;
}

// ---- Peers for the chain check -----------------------------------------

// Node's OpenSSL: parse every certificate, then walk issuer by issuer with
// checkIssued + verify and check validity, until a self-issued truststore member.
function nodeChainCheck(chainPem, truststorePem) {
  const presented = pemBlocks(chainPem).map((pem) => new X509Certificate(pem));
  const trusted = pemBlocks(truststorePem).map((pem) => new X509Certificate(pem));
  const candidates = [...presented.slice(1), ...trusted];
  let current = presented[0];
  for (let depth = 0; depth < 8; depth += 1) {
    if (AT_DATE < new Date(current.validFrom) || AT_DATE > new Date(current.validTo)) return false;
    if (trusted.includes(current) && current.checkIssued(current)) return true;
    const issuer = candidates.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}

async function pkijsChainCheck(chainPem, truststorePem) {
  const parse = (pem) => pkijs.Certificate.fromBER(arrayBufferOf(derOf(pem)));
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: pemBlocks(truststorePem).map(parse),
    certs: pemBlocks(chainPem).map(parse),
    checkDate: AT_DATE,
  });
  return (await engine.verify()).result;
}

function forgeChainCheck(chainPem, truststorePem) {
  const caStore = forge.pki.createCaStore(pemBlocks(truststorePem).slice(0, 1));
  const chain = pemBlocks(chainPem).map((pem) => forge.pki.certificateFromPem(pem));
  chain.push(forge.pki.certificateFromPem(pemBlocks(truststorePem)[0]));
  try {
    return forge.pki.verifyCertificateChain(caStore, chain, { validityCheckDate: AT_DATE });
  } catch {
    return false;
  }
}

// @peculiar/x509: the builder finds each issuer by verifying signatures
// (X509Certificate.verify), then the validity of every path member is checked.
async function peculiarChainCheck(chainPem, truststorePem) {
  const presented = pemBlocks(chainPem).map((pem) => new peculiar.X509Certificate(pem));
  const trusted = pemBlocks(truststorePem).map((pem) => new peculiar.X509Certificate(pem));
  const builder = new peculiar.X509ChainBuilder({ certificates: [...presented.slice(1), ...trusted] });
  const chain = await builder.build(presented[0]);
  const root = chain[chain.length - 1];
  const anchored = trusted.some((t) => t.equal(root)) && (await root.isSelfSigned());
  return anchored && chain.every((c) => c.notBefore <= AT_DATE && AT_DATE <= c.notAfter);
}

// ---- Sections -----------------------------------------------------------

async function chainSection() {
  const rows = [];
  for (const algorithm of ALGORITHMS) {
    const chainBytes = read(`tests/fixtures/${algorithm}-chain.pem`);
    const truststoreBytes = read(`tests/fixtures/${algorithm}-truststore.pem`);
    const chainPem = chainBytes.toString('latin1');
    const truststorePem = truststoreBytes.toString('latin1');

    // mtls-check is measured whatever its verdict, and the row shows the verdict.
    const options = { profile: chainProfile(algorithm), at: AT };
    const verdict = verifyChain(chainBytes, truststoreBytes, options).verdict;
    const peers = [
      [`mtls-check wasm \`verifyChain\` (verdict: ${verdict})`, () => verifyChain(chainBytes, truststoreBytes, options), true],
      ['Node `X509Certificate` checkIssued + verify', () => nodeChainCheck(chainPem, truststorePem), nodeChainCheck(chainPem, truststorePem)],
      ['mtls-check wasm `verifyChainAsync` (signatures in WebCrypto)', () => verifyChainAsync(chainBytes, truststoreBytes, options), true],
      ['PKI.js `CertificateChainValidationEngine`', () => pkijsChainCheck(chainPem, truststorePem), await pkijsChainCheck(chainPem, truststorePem).catch(() => false)],
      ['node-forge `verifyCertificateChain`', () => forgeChainCheck(chainPem, truststorePem), algorithm.startsWith('rsa') && forgeChainCheck(chainPem, truststorePem)],
      ['@peculiar/x509 `X509ChainBuilder` + verify', () => peculiarChainCheck(chainPem, truststorePem), await peculiarChainCheck(chainPem, truststorePem).catch(() => false)],
    ];
    const times = [];
    for (const [name, run, accepted] of peers) {
      times.push({ name, accepted, ms: accepted ? await measure(run) : null });
    }
    rows.push({ algorithm, times });
  }
  return rows;
}

// The closest peer of the lint: parse every certificate with X509Certificate
// and search each one's issuer pairwise with checkIssued + verify.
function nodePairwiseLint(pem) {
  const certificates = pemBlocks(pem).flatMap((block) => {
    try {
      return [new X509Certificate(block)];
    } catch {
      return [];
    }
  });
  return certificates.map((certificate) => certificates.findIndex((other) => {
    try {
      return certificate.checkIssued(other) && certificate.verify(other.publicKey);
    } catch {
      return false;
    }
  }));
}

async function lintSection(files) {
  const rows = [];
  for (const size of Object.keys(files).map(Number)) {
    const bytes = fs.readFileSync(files[size]);
    const pem = bytes.toString('latin1');
    const report = lintTruststore(bytes, { profile: PROFILE, at: AT });
    const wasmMs = await measure(() => lintTruststore(bytes, { profile: PROFILE, at: AT }));
    // The first async call imports the bundle's keys into WebCrypto; later calls reuse them.
    const firstStart = nowMs();
    await lintTruststoreAsync(bytes, { profile: PROFILE, at: AT });
    const asyncFirstMs = nowMs() - firstStart;
    const asyncMs = await measure(() => lintTruststoreAsync(bytes, { profile: PROFILE, at: AT }));
    const nodeMs = await measure(() => nodePairwiseLint(pem));
    const cliMs = measureProcess(CLI, ['lint', files[size], '--at', AT, '--format', 'json']);
    rows.push({ size, file: files[size], certificates: report.bundle?.certificates ?? report.items.length, wasmMs, asyncFirstMs, asyncMs, nodeMs, cliMs });
  }
  return rows;
}

async function csrSection() {
  const rows = [];
  for (const name of ['rsa2048', 'ed25519']) {
    const bytes = read(`tests/fixtures/${name}.csr`);
    const der = arrayBufferOf(derOf(bytes.toString('latin1').replace(/CERTIFICATE REQUEST/g, 'X')));
    const wasmMs = await measure(() => inspectCsr(bytes, { profile: PROFILE }));
    let pkijsMs = null;
    try {
      if (await pkijs.CertificationRequest.fromBER(der).verify()) {
        pkijsMs = await measure(() => pkijs.CertificationRequest.fromBER(der).verify());
      }
    } catch {
      pkijsMs = null;
    }
    rows.push({ name, wasmMs, pkijsMs });
  }
  return rows;
}

function processSection() {
  const rows = [];
  for (const algorithm of ALGORITHMS) {
    const chainFile = path.join(ROOT, `tests/fixtures/${algorithm}-chain.pem`);
    const truststoreFile = path.join(ROOT, `tests/fixtures/${algorithm}-truststore.pem`);
    const leafFile = path.join(WORK, `${algorithm}-leaf.pem`);
    fs.writeFileSync(leafFile, pemBlocks(fs.readFileSync(chainFile, 'latin1'))[0] + '\n');
    const opensslArgs = ['verify', '-attime', String(AT_UNIX), '-purpose', 'sslclient', '-CAfile', truststoreFile, '-untrusted', chainFile, leafFile];
    const cliArgs = ['verify', chainFile, '--truststore', truststoreFile, '--profile', chainProfile(algorithm), '--at', AT, '--format', 'json'];
    const opensslOk = spawnSync('openssl', opensslArgs).status === 0;
    rows.push({
      algorithm,
      opensslMs: opensslOk ? measureProcess('openssl', opensslArgs) : null,
      cliMs: measureProcess(CLI, cliArgs),
    });
  }
  return rows;
}

// Runs criterion and reads each benchmark's median (nanoseconds) from its estimates.
function criterionSection() {
  execFileSync('cargo', ['bench', '--bench', 'core', '--', '--noplot'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const estimate = (id) => {
    const file = path.join(ROOT, 'target/criterion', id, 'new/estimates.json');
    if (!fs.existsSync(file)) return null;
    return JSON.parse(fs.readFileSync(file, 'utf8')).median.point_estimate / 1e6;
  };
  return {
    chain: Object.fromEntries(ALGORITHMS.map((a) => [a, estimate(`verify_chain_${a}`)])),
    lint: Object.fromEntries([10, 142, 150, 1000].map((n) => [n, estimate(`lint_truststore_${n}`)])),
    csr: Object.fromEntries(['rsa2048', 'ed25519'].map((n) => [n, estimate(`inspect_csr_${n}`)])),
  };
}

function startupSection() {
  const samples = [];
  for (let i = 0; i < STARTUP_PROCESSES; i += 1) {
    const output = execFileSync(process.execPath, [path.join(ROOT, 'scripts/bench-startup.mjs')], { cwd: ROOT });
    samples.push(JSON.parse(output));
  }
  const pick = (key) => median(samples.map((s) => s[key]));
  return { compileMs: pick('compileMs'), instantiateMs: pick('instantiateMs'), firstMs: pick('firstMs'), secondMs: pick('secondMs') };
}

function memorySection(file) {
  const wasm = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'scripts/bench-memory.mjs'), file], { cwd: ROOT }));
  const timed = spawnSync('/usr/bin/time', ['-f', '%M', CLI, 'lint', file, '--at', AT, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const nativeKb = Number(timed.stderr.trim().split('\n').pop());
  return { ...wasm, nativeMaxRssKb: Number.isFinite(nativeKb) ? nativeKb : null };
}

function sizeSection() {
  const shipped = fs.readFileSync(path.join(ROOT, 'pkg/mtls_check_bg.wasm'));
  const optimized = path.join(WORK, 'mtls_check_bg.Oz.wasm');
  execFileSync(path.join(ROOT, 'bench/node_modules/.bin/wasm-opt'), ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', path.join(ROOT, 'pkg/mtls_check_bg.wasm'), '-o', optimized]);
  const describe = (label, bytes) => ({
    label,
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
  return {
    files: [
      describe(`\`${path.relative(ROOT, CARGO_WASM)}\` (cargo output, with its name section)`, fs.readFileSync(CARGO_WASM)),
      describe('`pkg/mtls_check_bg.wasm` as `make pkg` ships it', shipped),
      describe('the shipped file after `wasm-opt -Oz` (npm binaryen 132)', fs.readFileSync(optimized)),
    ],
    breakdown: breakdown(fs.readFileSync(CARGO_WASM)),
  };
}

// ---- Report -------------------------------------------------------------

// What bounds the targets that are not met, from profiles taken on this
// machine: node --cpu-prof over repeated calls of the cargo output (names kept)
// and perf over the native CLI.
const BOUNDS = [
  'What bounds them. Signature checks. The synchronous exports verify every',
  'signature in RustCrypto compiled to wasm: a CPU profile of repeated',
  '`verifyChain` calls (P-384) puts over 90% of the time in `crypto_bigint`',
  'Montgomery arithmetic, and each chain call checks three signatures (leaf,',
  'intermediate, root self-signature), so a third of the `verifyChain` row is',
  'one signature of that algorithm. `verifyChainAsync` and',
  '`lintTruststoreAsync` hand the same signatures to the host\'s WebCrypto',
  '(Node\'s OpenSSL) first and reach the chain targets on RSA and P-256. The',
  'lint of N certificates checks at least N signatures (each self-signature,',
  'each issuer link). A profile of `lintTruststoreAsync` on the',
  '1,000-certificate bundle, before keys were kept between calls, showed Node\'s',
  '`importKey` (`createPublicKey`) as the largest single item (about 12%), then',
  'PEM decoding, SHA-256 (fingerprints and result keys), JSON and allocation,',
  'each a few percent: no hot spot is left to remove. 50 ms for 1,000',
  'certificates would be 50 µs per certificate for decoding, parsing, one',
  'WebCrypto signature (P-384 alone takes longer in Node\'s OpenSSL, see the',
  'P-384 chain row) and the rules. Time per certificate is what bounds it, not',
  'a quadratic scan: the lint indexes the bundle by subject and checks each',
  'candidate issuer at most once.',
  'The module size is mostly code: mtls-check itself (the largest row of the',
  'breakdown below), the big-integer and curve arithmetic of the signature',
  'backend, and about 150 KB of data (rule texts, profile citations, constant',
  'tables). `make pkg` builds at opt-level 3 for speed. On commit 59b21ce, before',
  'the SARIF and forecast exports were added, opt-level "z" gave 1,016,667 raw /',
  '369,415 gzipped bytes against 1,284,306 / 485,227 at opt-level 3, with',
  'signatures 1.1 to 1.6× slower, and `wasm-opt -Oz` made every gzipped file',
  'larger. 250 KB gzipped would need about half of the code gone, not a build',
  'flag.',
];

// The targets: each with its measured figure and whether it is met. The wasm
// figure is the faster of the two exports, and both are listed in the tables.
function renderTargets(results) {
  const { chain, lint, startup, sizes } = results;
  const verdict = (met) => (met ? 'met' : 'not met');
  const lines = [
    '## Targets',
    '',
    '| target | measured | status |',
    '| --- | --- | --- |',
  ];
  for (const row of chain) {
    const [sync, node, asynchronous, ...peers] = row.times;
    const wasm = asynchronous.ms !== null && asynchronous.ms < sync.ms ? asynchronous : sync;
    const exportName = wasm === asynchronous ? '`verifyChainAsync`' : '`verifyChain`';
    const toNode = wasm.ms / node.ms;
    lines.push(`| ${chainLabel(row.algorithm)}: wasm chain check within 2× of Node \`X509Certificate\` | ${exportName} ${ms(wasm.ms)} ms vs ${ms(node.ms)} ms, ${toNode.toFixed(2)}× | ${verdict(toNode <= 2)} |`);
    for (const peer of peers) {
      if (peer.ms === null) continue;
      const faster = peer.ms / wasm.ms;
      lines.push(`| ${chainLabel(row.algorithm)}: wasm ≥ 3× faster than ${peer.name.split(' ')[0]} | ${faster.toFixed(2)}× faster (${ms(peer.ms)} ms) | ${verdict(faster >= 3)} |`);
    }
  }
  const thousand = lint.find((r) => r.size === 1000);
  const bestLint = Math.min(thousand.wasmMs, thousand.asyncMs);
  lines.push(`| 1,000-certificate lint ≤ 50 ms in wasm under Node | ${ms(bestLint)} ms (\`lintTruststoreAsync\` ${ms(thousand.asyncMs)}, \`lintTruststore\` ${ms(thousand.wasmMs)}) | ${verdict(bestLint <= 50)} |`);
  const shipped = sizes.files[1];
  lines.push(`| .wasm ≤ 250 KB gzipped | ${(shipped.gzip / 1000).toFixed(0)} KB (${shipped.gzip} bytes) | ${verdict(shipped.gzip <= 250000)} |`);
  lines.push(`| instantiate ≤ 10 ms | ${ms(startup.instantiateMs)} ms (compile ${ms(startup.compileMs)} ms more) | ${verdict(startup.instantiateMs <= 10)} |`);
  lines.push('', ...BOUNDS, '');
  return lines;
}

// A repository file by its relative path, any other file by its absolute path.
function inputName(file) {
  return file.startsWith(ROOT + path.sep) ? path.relative(ROOT, file) : file;
}

function render(results) {
  const { chain, lint, csr, processes, native, startup, memory, sizes, composed } = results;
  const lines = [
    '# Benchmarks',
    '',
    ...renderTargets(results),
    '',
    'Written by `make bench` (`node scripts/bench.mjs` after a release build of the',
    'CLI and of `pkg/` and `npm ci --prefix bench` for the peers). Every figure is',
    'the median of repeated runs in one run on one machine: in-process calls run',
    `${MIN_ROUNDS} to ${MAX_ROUNDS} times within about ${TIME_BUDGET_MS / 1000} s after ${WARM_UP_ROUNDS} warm-up calls, whole processes`,
    `${PROCESS_ROUNDS} times, start-up in ${STARTUP_PROCESSES} fresh Node processes. Native library`,
    'figures come from criterion (`cargo bench --bench core`). These are',
    'measurements, not test assertions, and the machine is shared and noisy.',
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, measured ${new Date().toISOString().slice(0, 16)}Z.`,
    `Check time ${AT}, profile ${PROFILE} (the chain rows name another where they use one). Peers: PKI.js, node-forge and @peculiar/x509 at the versions in \`bench/package.json\`, on Node's WebCrypto where they use one.`,
    '',
    '## Chain check: 3-certificate client path (leaf, intermediate, root)',
    '',
    'Input: `tests/fixtures/<alg>-chain.pem` (leaf and intermediate) against',
    '`tests/fixtures/<alg>-truststore.pem`. Every call parses its PEM input. The',
    'ratio is to Node\'s own `X509Certificate` walk (native OpenSSL). "n/a" marks',
    'a peer that does not support the algorithm or did not accept the path.',
    '',
    '| algorithm | implementation | median ms | ratio to Node X509Certificate |',
    '| --- | --- | ---: | ---: |',
  ];
  for (const row of chain) {
    const base = row.times[1].ms;
    const label = chainLabel(row.algorithm);
    for (const t of row.times) {
      lines.push(`| ${label} | ${t.name} | ${ms(t.ms)} | ${ratio(t.ms, base)} |`);
    }
    const nativeName = 'mtls-check native library (criterion)';
    lines.push(`| ${label} | ${nativeName} | ${ms(native.chain[row.algorithm])} | ${ratio(native.chain[row.algorithm], base)} |`);
  }
  lines.push(
    '',
    '### Whole processes',
    '',
    '`openssl verify -attime T -purpose sslclient -CAfile TRUSTSTORE -untrusted CHAIN LEAF`',
    'next to `mtls-check verify CHAIN --truststore TRUSTSTORE --at T --format json`.',
    '',
    '| algorithm | openssl verify ms | mtls-check verify ms | ratio |',
    '| --- | ---: | ---: | ---: |',
    ...processes.map((r) => `| ${chainLabel(r.algorithm)} | ${ms(r.opensslMs)} | ${ms(r.cliMs)} | ${ratio(r.cliMs, r.opensslMs)} |`),
    '',
    '## Truststore lint',
    '',
    'Inputs: the first 10 certificates of Debian\'s bundle, and Debian\'s bundle as',
    `\`${DEBIAN_BUNDLE}\` contains it. Next, this machine\'s \`${SYSTEM_BUNDLE}\` where present.`,
    `Last, 1,000 certificates composed from`,
    `the fixtures, the case folders and the x509-limbo suite (${composed.distinct} distinct ones exist,`,
    `${composed.composed} kept at most ${MAX_PER_SUBJECT} per subject, then repeated up to 1,000), written to`,
    '`target/bench/lint-1000.pem`. The peer parses every',
    'certificate with Node\'s `X509Certificate` and searches each one\'s issuer',
    'pairwise with `checkIssued` + `verify`; it runs none of the rules. The',
    'first `lintTruststoreAsync` call on a bundle imports its CA keys into',
    'WebCrypto (one call, not a median); the repeated calls reuse them and are',
    'the median, as for a server that checks against one truststore.',
    'The 1,000 composed blocks hold 998 certificates the lint counts.',
    '',
    '| input | certificates | wasm `lintTruststore` ms | wasm `lintTruststoreAsync` first call ms | wasm `lintTruststoreAsync` ms | native library ms (criterion) | native CLI process ms | Node pairwise peer ms | async wasm / peer |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...lint.map((r) => `| \`${inputName(r.file)}\` | ${r.certificates} | ${ms(r.wasmMs)} | ${ms(r.asyncFirstMs)} | ${ms(r.asyncMs)} | ${ms(native.lint[r.size])} | ${ms(r.cliMs)} | ${ms(r.nodeMs)} | ${ratio(r.asyncMs, r.nodeMs)} |`),
    '',
    '## CSR inspection (decode and self-signature check)',
    '',
    '| CSR | wasm `inspectCsr` ms | native library ms (criterion) | PKI.js `CertificationRequest.verify` ms | wasm / PKI.js |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...csr.map((r) => `| \`tests/fixtures/${r.name}.csr\` | ${ms(r.wasmMs)} | ${ms(native.csr[r.name])} | ${ms(r.pkijsMs)} | ${ratio(r.wasmMs, r.pkijsMs)} |`),
    '',
    '## Start-up in Node',
    '',
    '`scripts/bench-startup.mjs` in a fresh process: `new WebAssembly.Module` on the',
    'shipped bytes, `initSync` (instantiate), then the first and second `verifyChain`',
    'of the P-256 chain.',
    '',
    '| compile ms | instantiate ms | first call ms | second call ms |',
    '| ---: | ---: | ---: | ---: |',
    `| ${ms(startup.compileMs)} | ${ms(startup.instantiateMs)} | ${ms(startup.firstMs)} | ${ms(startup.secondMs)} |`,
    '',
    '## Size of the WebAssembly module',
    '',
    '| file | raw bytes | gzip -9 bytes | brotli -q 11 bytes |',
    '| --- | ---: | ---: | ---: |',
    ...sizes.files.map((s) => `| ${s.label} | ${s.raw} | ${s.gzip} | ${s.brotli} |`),
    '',
    'Where the raw bytes of the cargo output go (`node scripts/wasm-breakdown.mjs FILE`):',
    'sections, then function bodies of the code section grouped by the crate in',
    'their names (the 15 largest).',
    '',
    '| section | bytes |',
    '| --- | ---: |',
    ...sizes.breakdown.sections.slice(0, 5).map((s) => `| ${s.name} | ${s.bytes} |`),
    '',
    '| crate | code bytes |',
    '| --- | ---: |',
    ...sizes.breakdown.crates.slice(0, 15).map((c) => `| ${c.crate} | ${c.bytes} |`),
    '',
    '## Memory of the 1,000-certificate lint',
    '',
    '`scripts/bench-memory.mjs` in a fresh Node process; the wasm linear memory never',
    'shrinks, so its size after the call is the module\'s peak. The native figure is',
    'the CLI\'s maximum resident set from `/usr/bin/time -f %M`.',
    '',
    '| wasm linear memory after the call | Node max RSS growth during the call | native CLI max RSS |',
    '| ---: | ---: | ---: |',
    `| ${(memory.wasmMemoryBytes / 1048576).toFixed(1)} MiB | ${(memory.rssGrowthKb / 1024).toFixed(1)} MiB | ${memory.nativeMaxRssKb === null ? 'n/a' : (memory.nativeMaxRssKb / 1024).toFixed(1) + ' MiB'} |`,
  );
  return lines;
}

const wasmBytes = fs.readFileSync(path.join(ROOT, 'pkg/mtls_check_bg.wasm'));
initSync({ module: new WebAssembly.Module(wasmBytes) });

const composed = composeTruststores();
const results = { composed };
results.native = criterionSection();
results.chain = await chainSection();
results.lint = await lintSection(composed.files);
results.csr = await csrSection();
results.processes = processSection();
results.startup = startupSection();
results.memory = memorySection(composed.files[1000]);
results.sizes = sizeSection();

const lines = render(results);
fs.mkdirSync(WORK, { recursive: true });
fs.writeFileSync(path.join(WORK, 'results.json'), JSON.stringify(results, null, 2));
// Sections this script does not write (the "Page" section of `make
// bench-page`, the `make bench-serve` figures) are kept, in their order.
const BENCHMARKS = path.join(ROOT, 'docs/benchmarks.md');
const previous = fs.existsSync(BENCHMARKS) ? fs.readFileSync(BENCHMARKS, 'utf8') : '';
const written = new Set(lines.filter((line) => line.startsWith('## ')));
const kept = previous
  .split(/\n(?=## )/)
  .slice(1)
  .filter((section) => !written.has(section.split('\n')[0]))
  .map((section) => section.trimEnd());
fs.writeFileSync(BENCHMARKS, [lines.join('\n').trimEnd(), ...kept].join('\n\n') + '\n');
console.log(lines.join('\n'));
