// Hostile and broken input through the wasm package. No call may trap (a
// WebAssembly.RuntimeError such as `unreachable`), and every bad argument gives
// an Error with a message. Damaged fixtures keep their other blocks, limits
// give input.limit-exceeded, and private keys never reach a report.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { FIXTURES, FIXTURE_AT, ROOT, loadPackage, readBytes, findingCodes } from './support.mjs';

const LIMBO = path.join(ROOT, 'tests', 'data', 'conformance', 'limbo.json');
const OPTIONS = { profile: 'rfc5280', at: FIXTURE_AT };

// Calls `operation`; fails the test on a trap, returns the report or the thrown Error.
function callWithoutTrap(what, operation) {
  try {
    return operation();
  } catch (error) {
    assert.ok(!(error instanceof WebAssembly.RuntimeError), `${what}: the wasm module trapped: ${error}`);
    assert.ok(error instanceof Error, `${what}: threw a non-Error ${error}`);
    assert.ok(error.message.length > 0, `${what}: Error without a message`);
    return error;
  }
}

// Runs `input` through every operation that reads one input and checks each returns a report.
function runEveryOperation(pkg, input, what) {
  const truststore = readBytes(path.join(FIXTURES, 'p256-truststore.pem'));
  const calls = {
    inspect: () => pkg.inspect(input, OPTIONS),
    lint: () => pkg.lintTruststore(input, OPTIONS),
    verifyAsChain: () => pkg.verifyChain(input, truststore, OPTIONS),
    verifyAsTruststore: () => pkg.verifyChain(truststore, input, OPTIONS),
    csr: () => pkg.inspectCsr(input, OPTIONS),
    crl: () => pkg.verifyChain(truststore, truststore, { ...OPTIONS, crls: [input] }),
    forwarded: () => pkg.decodeForwarded(input, OPTIONS),
  };
  const reports = {};
  for (const [name, call] of Object.entries(calls)) {
    const result = callWithoutTrap(`${what} (${name})`, call);
    assert.ok(!(result instanceof Error), `${what} (${name}): ${result?.message}`);
    assert.ok(Array.isArray(result.findings), `${what} (${name}): no findings list`);
    reports[name] = result;
  }
  return reports;
}

function fixtureNames() {
  return readdirSync(FIXTURES)
    .filter((name) => /\.(pem|csr|der|key)$/.test(name))
    .sort();
}

// A small seeded generator, so a failure reproduces.
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state;
  };
}

// ----- a small Ed25519 certificate builder (hand-written DER) -----

function tlv(tag, content) {
  const length = content.length;
  let header;
  if (length < 0x80) header = [tag, length];
  else if (length <= 0xff) header = [tag, 0x81, length];
  else if (length <= 0xffff) header = [tag, 0x82, length >> 8, length & 0xff];
  else header = [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  return Buffer.concat([Buffer.from(header), Buffer.from(content)]);
}

const seq = (...parts) => tlv(0x30, Buffer.concat(parts));
const ED25519 = seq(Buffer.from([0x06, 0x03, 0x2b, 0x65, 0x70]));

function name(commonName) {
  const attribute = seq(Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]), tlv(0x0c, Buffer.from(commonName)));
  return seq(tlv(0x31, attribute));
}

function caExtensions() {
  const basic = seq(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff]), tlv(0x04, seq(Buffer.from([0x01, 0x01, 0xff]))));
  const usage = seq(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff]), tlv(0x04, Buffer.from([0x03, 0x02, 0x01, 0x06])));
  return tlv(0xa3, seq(basic, usage));
}

function newKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey, raw };
}

function certificate(serial, subject, subjectKey, issuer, issuerKey) {
  const spki = seq(ED25519, tlv(0x03, Buffer.concat([Buffer.from([0]), subjectKey.raw])));
  const tbs = seq(
    tlv(0xa0, Buffer.from([0x02, 0x01, 0x02])),
    tlv(0x02, Buffer.from([0x01, (serial >> 8) & 0xff, serial & 0xff])),
    ED25519,
    name(issuer),
    seq(tlv(0x17, Buffer.from('200101000000Z')), tlv(0x17, Buffer.from('491231235959Z'))),
    name(subject),
    spki,
    caExtensions(),
  );
  const signature = sign(null, tbs, issuerKey.privateKey);
  return seq(tbs, ED25519, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

function pem(label, der) {
  const body = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function limitMessages(report) {
  return report.findings.filter((f) => f.code === 'input.limit-exceeded').map((f) => f.message);
}

describe('hostile input through the wasm package', () => {
  test('damaged fixtures give reports', async () => {
    const pkg = await loadPackage();
    for (const name of fixtureNames()) {
      const bytes = readBytes(path.join(FIXTURES, name));
      runEveryOperation(pkg, bytes, name);
      runEveryOperation(pkg, bytes.subarray(0, Math.floor(bytes.length / 2)), `${name} cut in half`);

      const flipped = Uint8Array.from(bytes);
      for (let i = 7; i < flipped.length; i += 97) flipped[i] ^= 0x10;
      runEveryOperation(pkg, flipped, `${name} bit-flipped`);

      const repeated = new Uint8Array(bytes.length * 20);
      for (let i = 0; i < 20; i += 1) repeated.set(bytes, i * bytes.length);
      const reports = runEveryOperation(pkg, repeated, `${name} repeated`);
      if (name.endsWith('.pem') || name.endsWith('.der')) {
        const once = pkg.inspect(bytes, OPTIONS);
        assert.equal(reports.inspect.items.length, once.items.length * 20, `${name}: blocks were lost`);
      }
    }
  });

  test('random bytes give reports', async () => {
    const pkg = await loadPackage();
    const next = generator(20301);
    for (let round = 0; round < 200; round += 1) {
      const input = new Uint8Array(next() % 3000);
      for (let i = 0; i < input.length; i += 1) input[i] = next() & 0xff;
      if (round % 2 === 0 && input.length > 0) input[0] = 0x30;
      runEveryOperation(pkg, input, `random input ${round}`);
    }
  });

  test('pathological limbo cases finish', async () => {
    const pkg = await loadPackage();
    const suite = JSON.parse(readFileSync(LIMBO, 'utf8'));
    const cases = suite.testcases.filter((c) => c.id.startsWith('pathological::'));
    assert.ok(cases.length >= 10, `found ${cases.length} pathological cases`);
    for (const testcase of cases) {
      const chain = [testcase.peer_certificate, ...testcase.untrusted_intermediates].join('\n');
      const truststore = testcase.trusted_certs.join('\n');
      const options = { profile: 'rfc5280', at: testcase.validation_time ?? FIXTURE_AT };
      const report = callWithoutTrap(testcase.id, () => pkg.verifyChain(chain, truststore, options));
      assert.ok(!(report instanceof Error), `${testcase.id}: ${report.message}`);
      const errors = report.findings.filter((f) => f.severity === 'error').length;
      if (report.verdict === 'deny') assert.ok(errors > 0, testcase.id);
      if (report.verdict === 'accept') assert.equal(errors, 0, testcase.id);
    }
  });

  test('500 same-name CAs hit the limits', async () => {
    const pkg = await loadPackage();
    const keys = Array.from({ length: 500 }, newKey);
    const signers = Array.from({ length: 500 }, newKey);
    // Each CA is signed by another key, so none is self-signed and each has 499 candidates.
    const bundle = keys.map((key, i) => pem('CERTIFICATE', certificate(i + 1, 'Same Name CA', key, 'Same Name CA', signers[i]))).join('');
    const report = callWithoutTrap('500 same-name CAs', () => pkg.lintTruststore(bundle, OPTIONS));
    assert.equal(report.items.length, 500);
    const messages = limitMessages(report);
    assert.ok(messages.some((m) => m.includes('candidate issuers')), messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('signature checks')), messages.join('\n'));
    assert.equal(report.verdict, 'fail');

    const leaf = pem('CERTIFICATE', certificate(999, 'client', newKey(), 'Same Name CA', newKey()));
    const roots = keys.map((key, i) => pem('CERTIFICATE', certificate(i + 1, 'Same Name CA', key, 'Same Name CA', key))).join('');
    const verify = callWithoutTrap('leaf under 500 same-name roots', () => pkg.verifyChain(leaf, roots, OPTIONS));
    assert.equal(verify.verdict, 'deny');
    assert.equal(verify.items.length, 501);
    assert.ok(limitMessages(verify).some((m) => m.includes('candidate issuers')), findingCodes(verify).join(' '));
  });

  test('oversized certificate gives limit finding', async () => {
    const pkg = await loadPackage();
    const big = tlv(0x30, Buffer.alloc(70 * 1024, 0x05));
    const intact = readFileSync(path.join(FIXTURES, 'p256-truststore.pem'), 'utf8');
    const report = pkg.inspect(pem('CERTIFICATE', big) + intact, OPTIONS);
    assert.equal(limitMessages(report).length, 1);
    assert.ok(report.items.at(-1).ok);
  });

  test('private keys never echoed', async () => {
    const pkg = await loadPackage();
    const markers = readFileSync(path.join(FIXTURES, 'private-key-markers.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const keys = [];
    for (const name of fixtureNames().filter((n) => n.endsWith('-key-truststore.pem'))) {
      const text = readFileSync(path.join(FIXTURES, name), 'utf8');
      keys.push(...(text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----\n/g) ?? []));
    }
    assert.ok(keys.length >= markers.length);

    const truststore = readFileSync(path.join(FIXTURES, 'p256-truststore.pem'), 'utf8');
    const chain = readFileSync(path.join(FIXTURES, 'p256-chain.pem'), 'utf8');
    const csr = readFileSync(path.join(FIXTURES, 'good.csr'), 'utf8');
    const options = { at: FIXTURE_AT };
    for (const key of keys) {
      const reports = {
        first: pkg.lintTruststore(key + truststore, options),
        middle: pkg.lintTruststore(truststore + key + truststore, options),
        last: pkg.lintTruststore(truststore + key, options),
        chainFile: pkg.verifyChain(chain + key, truststore, options),
        csrFile: pkg.inspectCsr(csr + key, options),
        inspect: pkg.inspect(truststore + key, options),
      };
      for (const [where, report] of Object.entries(reports)) {
        assert.ok(findingCodes(report).includes('input.private-key'), `${where}: ${findingCodes(report)}`);
        const json = JSON.stringify(report);
        for (const marker of markers) assert.ok(!json.includes(marker), `${where}: key material in the report`);
      }
    }
  });

  test('bad arguments throw Errors', async () => {
    const pkg = await loadPackage();
    const truststore = readBytes(path.join(FIXTURES, 'p256-truststore.pem'));
    const calls = [
      () => pkg.verifyChain(42, truststore, OPTIONS),
      () => pkg.verifyChain(truststore, null, OPTIONS),
      () => pkg.lintTruststore({}, OPTIONS),
      () => pkg.inspect(undefined, OPTIONS),
      () => pkg.inspectCsr([1, 2, 3], OPTIONS),
      () => pkg.lintTruststore(truststore, { profile: 7 }),
      () => pkg.lintTruststore(truststore, { at: 'not a time' }),
      () => pkg.lintTruststore(truststore, { crls: 'not a list' }),
      () => pkg.lintTruststore(truststore, { crls: [5] }),
      () => pkg.lintTruststore(truststore, { warnDays: -5 }),
      () => pkg.verifyChain(truststore, truststore, { usage: 'sideways' }),
      () => pkg.decodeForwarded(17, OPTIONS),
    ];
    calls.forEach((call, index) => {
      const result = callWithoutTrap(`bad argument ${index}`, call);
      assert.ok(result instanceof Error, `bad argument ${index} was accepted`);
    });
    // The module still works after every rejected call.
    assert.ok(['pass', 'warn'].includes(pkg.lintTruststore(truststore, { at: FIXTURE_AT }).verdict));
  });
});
