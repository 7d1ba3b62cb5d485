// Writes seed corpora for the fuzz targets into fuzz/corpus/<target>/ from the
// test fixtures, the real-world cases and a sample of the x509-limbo suite.
// The corpora are generated, not committed (fuzz/.gitignore).
//
//   node scripts/fuzz-seeds.mjs

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.join(ROOT, 'fuzz', 'corpus');
const TARGETS = ['decode', 'inspect', 'lint', 'verify', 'csr', 'crl', 'forwarded'];

// Seeds above this size slow every fuzz iteration that mutates them.
const MAX_SEED_BYTES = 256 * 1024;
// Limbo cases taken as seeds: enough to cover its shapes, few enough to keep the corpus small.
const LIMBO_SAMPLE = 400;

function writeSeed(target, bytes) {
  if (bytes.length === 0 || bytes.length > MAX_SEED_BYTES) return;
  const dir = path.join(CORPUS, target);
  mkdirSync(dir, { recursive: true });
  const name = createHash('sha1').update(bytes).digest('hex');
  writeFileSync(path.join(dir, name), bytes);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

// The verify target reads its first byte as the split point between chain and truststore.
function verifySeed(chain, truststore) {
  const body = Buffer.concat([chain, truststore]);
  const selector = body.length === 0 ? 0 : Math.round((chain.length / body.length) * 255);
  return Buffer.concat([Buffer.from([selector]), body]);
}

const seedFiles = [
  ...filesUnder(path.join(ROOT, 'tests', 'fixtures')).filter((f) => !/\.(py|md)$/.test(f)),
  ...filesUnder(path.join(ROOT, 'tests', 'data', 'cases')),
];
for (const file of seedFiles) {
  const bytes = readFileSync(file);
  for (const target of TARGETS) writeSeed(target, bytes);
}

// Chain and truststore pairs from the cases.
for (const dir of readdirSync(path.join(ROOT, 'tests', 'data', 'cases'))) {
  const files = filesUnder(path.join(ROOT, 'tests', 'data', 'cases', dir));
  const chain = files.find((f) => /chain/.test(path.basename(f)));
  const truststore = files.find((f) => /truststore/.test(path.basename(f)));
  if (chain && truststore) writeSeed('verify', verifySeed(readFileSync(chain), readFileSync(truststore)));
}

const limbo = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'data', 'conformance', 'limbo.json'), 'utf8'));
const step = Math.max(1, Math.floor(limbo.testcases.length / LIMBO_SAMPLE));
for (let i = 0; i < limbo.testcases.length; i += step) {
  const testcase = limbo.testcases[i];
  const chain = Buffer.from([testcase.peer_certificate, ...testcase.untrusted_intermediates].join('\n'));
  const truststore = Buffer.from(testcase.trusted_certs.join('\n'));
  writeSeed('verify', verifySeed(chain, truststore));
  for (const target of ['decode', 'inspect']) writeSeed(target, chain);
  writeSeed('lint', truststore);
  for (const crl of testcase.crls ?? []) writeSeed('crl', Buffer.from(crl));
}

for (const target of TARGETS) {
  const count = readdirSync(path.join(CORPUS, target)).length;
  console.log(`${target}: ${count} seeds`);
}
