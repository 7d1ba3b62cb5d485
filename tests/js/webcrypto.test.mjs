// The WebCrypto differential. verifyChainAsync and lintTruststoreAsync check
// signatures with Node's WebCrypto before the synchronous code runs. Their
// reports must equal those of verifyChain and lintTruststore, which use
// RustCrypto alone, on every fixture, every case folder and every x509-limbo
// testcase that the Rust harness recorded.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { FIXTURES, FIXTURE_AT, ROOT, loadPackage, readBytes } from './support.mjs';

const CASES_DIR = path.join(ROOT, 'tests', 'data', 'cases');
const LIMBO_REPORTS = path.join(ROOT, 'target', 'conformance', 'limbo-reports.json');
const PROFILES = ['apigw-rest', 'rfc5280'];

function fixtureFiles(pattern) {
  return readdirSync(FIXTURES)
    .filter((name) => pattern.test(name))
    .sort();
}

// Each chain fixture with the truststore of the same prefix, else the P-256 one.
function chainPairs() {
  return fixtureFiles(/-chain\.(pem|der)$/).map((chain) => {
    const own = chain.replace(/-chain\.(pem|der)$/, '-truststore.pem');
    const truststore = existsSync(path.join(FIXTURES, own)) ? own : 'p256-truststore.pem';
    return { chain, truststore };
  });
}

function listCases() {
  if (!existsSync(CASES_DIR)) {
    return [];
  }
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(CASES_DIR, entry.name, 'case.json')))
    .map((entry) => entry.name)
    .sort();
}

// Replaces crypto.subtle[method] for the duration of `run`, counting calls.
async function withSubtle(method, replacement, run) {
  const subtle = globalThis.crypto.subtle;
  const original = subtle[method];
  let calls = 0;
  subtle[method] = function (...args) {
    calls += 1;
    return replacement ? replacement.apply(this, args) : original.apply(this, args);
  };
  try {
    await run();
  } finally {
    delete subtle[method];
    if (subtle[method] !== original) {
      subtle[method] = original;
    }
  }
  return calls;
}

// Runs first, so that no earlier call has imported the keys it counts.
describe('WebCrypto use', () => {
  const chain = () => readBytes(path.join(FIXTURES, 'p256-chain.pem'));
  const truststore = () => readBytes(path.join(FIXTURES, 'p256-truststore.pem'));
  const options = { profile: 'apigw-rest', at: FIXTURE_AT };

  test('verifies the path with WebCrypto', async () => {
    const pkg = await loadPackage();
    const calls = await withSubtle('verify', null, async () => {
      assert.equal((await pkg.verifyChainAsync(chain(), truststore(), options)).verdict, 'accept');
    });
    assert.ok(calls >= 3, `crypto.subtle.verify called ${calls} times`);
  });

  test('imports each key once', async () => {
    const pkg = await loadPackage();
    await pkg.verifyChainAsync(chain(), truststore(), options);
    let verifyCalls = 0;
    const importCalls = await withSubtle('importKey', null, async () => {
      verifyCalls = await withSubtle('verify', null, async () => {
        assert.equal((await pkg.verifyChainAsync(chain(), truststore(), options)).verdict, 'accept');
      });
    });
    assert.equal(importCalls, 0, 'keys imported by the first call are reused');
    assert.ok(verifyCalls >= 3, `crypto.subtle.verify called ${verifyCalls} times`);
  });

  test('falls back when importKey fails', async () => {
    const pkg = await loadPackage();
    // A chain whose keys no earlier test imported, so importKey is called.
    const rsaChain = readBytes(path.join(FIXTURES, 'rsa3072-chain.pem'));
    const rsaTruststore = readBytes(path.join(FIXTURES, 'rsa3072-truststore.pem'));
    const failing = () => Promise.reject(new Error('importKey unavailable'));
    let verifyCalls = 0;
    const importCalls = await withSubtle('importKey', failing, async () => {
      verifyCalls = await withSubtle('verify', null, async () => {
        assert.deepEqual(
          await pkg.verifyChainAsync(rsaChain, rsaTruststore, options),
          pkg.verifyChain(rsaChain, rsaTruststore, options),
        );
      });
    });
    assert.ok(importCalls > 0, 'importKey was called');
    assert.equal(verifyCalls, 0, 'nothing is verified without a key');
  });

  test('falls back when verify throws', async () => {
    const pkg = await loadPackage();
    const throwing = () => {
      throw new Error('verify unavailable');
    };
    await withSubtle('verify', throwing, async () => {
      assert.deepEqual(
        await pkg.verifyChainAsync(chain(), truststore(), options),
        pkg.verifyChain(chain(), truststore(), options),
      );
    });
  });
});

describe('WebCrypto exports equal the synchronous ones', () => {
  test('fixture chains', async () => {
    const pkg = await loadPackage();
    for (const { chain, truststore } of chainPairs()) {
      for (const profile of PROFILES) {
        const options = { profile, at: FIXTURE_AT };
        const chainBytes = readBytes(path.join(FIXTURES, chain));
        const truststoreBytes = readBytes(path.join(FIXTURES, truststore));
        assert.deepEqual(
          await pkg.verifyChainAsync(chainBytes, truststoreBytes, options),
          pkg.verifyChain(chainBytes, truststoreBytes, options),
          `${chain} against ${truststore} under ${profile}`,
        );
      }
    }
  });

  test('fixture truststores', async () => {
    const pkg = await loadPackage();
    for (const truststore of fixtureFiles(/truststore.*\.pem$/)) {
      for (const profile of PROFILES) {
        const options = { profile, at: FIXTURE_AT };
        const bytes = readBytes(path.join(FIXTURES, truststore));
        assert.deepEqual(
          await pkg.lintTruststoreAsync(bytes, options),
          pkg.lintTruststore(bytes, options),
          `${truststore} under ${profile}`,
        );
      }
    }
  });

  test('case folders', async () => {
    const pkg = await loadPackage();
    for (const name of listCases()) {
      const folder = path.join(CASES_DIR, name);
      const manifest = JSON.parse(readFileSync(path.join(folder, 'case.json'), 'utf8'));
      const input = (key) => readBytes(path.join(folder, manifest.inputs[key]));
      const crls = (manifest.inputs.crls ?? []).map((file) => readBytes(path.join(folder, file)));
      const options = { profile: manifest.profile, at: manifest.at, ...(crls.length > 0 ? { crls } : {}) };
      if (manifest.command === 'verify') {
        const verifyOptions = { ...options, usage: manifest.usage ?? 'client' };
        assert.deepEqual(
          await pkg.verifyChainAsync(input('chain'), input('truststore'), verifyOptions),
          pkg.verifyChain(input('chain'), input('truststore'), verifyOptions),
          name,
        );
      } else if (manifest.command === 'lint') {
        assert.deepEqual(
          await pkg.lintTruststoreAsync(input('truststore'), options),
          pkg.lintTruststore(input('truststore'), options),
          name,
        );
      }
    }
  });

  test('x509-limbo testcases', async (t) => {
    if (!existsSync(LIMBO_REPORTS)) {
      t.skip(`${path.relative(ROOT, LIMBO_REPORTS)} is missing: run \`cargo test --test limbo\` first`);
      return;
    }
    const pkg = await loadPackage();
    const differing = [];
    for (const suite of JSON.parse(readFileSync(LIMBO_REPORTS, 'utf8'))) {
      for (const entry of suite.cases) {
        const options = Object.fromEntries(Object.entries(entry.options).filter(([, value]) => value !== null));
        const report = await pkg.verifyChainAsync(entry.chain, entry.truststore, options);
        try {
          assert.deepEqual(report, pkg.verifyChain(entry.chain, entry.truststore, options));
        } catch (error) {
          differing.push(`${suite.suite} ${entry.id}: ${error.message.split('\n').slice(0, 12).join('\n')}`);
        }
      }
    }
    assert.deepEqual(differing, [], `WebCrypto and RustCrypto reports differ:\n${differing.join('\n\n')}`);
  });
});
