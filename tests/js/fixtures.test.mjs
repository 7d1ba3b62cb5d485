// Runs the committed fixtures through the wasm package and the native CLI at the pinned
// check time. Both must give the same report (minus `tool`), with the verdict and finding
// codes that tests/fixtures/README.md lists for the fixture.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { FIXTURES, FIXTURE_AT, findingCodes, loadPackage, readBytes, runCli, withoutTool } from './support.mjs';

// Each row: input files, profile, expected verdict (null: only compare wasm with the CLI),
// finding codes that must appear, and extra options.
const VERIFY_CASES = [
  { chain: 'p256-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'accept', findings: 'none' },
  { chain: 'p256-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'accept', findings: 'none' },
  { chain: 'rsa2048-chain.pem', truststore: 'rsa2048-truststore.pem', profile: 'apigw-rest', verdict: 'accept', findings: 'none' },
  { chain: 'rsa3072-chain.pem', truststore: 'rsa3072-truststore.pem', profile: 'apigw-rest', verdict: 'accept', findings: 'none' },
  { chain: 'p384-chain.pem', truststore: 'p384-truststore.pem', profile: 'apigw-rest', verdict: 'accept', findings: 'none' },
  { chain: 'ed25519-chain.pem', truststore: 'ed25519-truststore.pem', profile: 'rfc5280', verdict: 'accept', findings: 'none' },
  { chain: 'ed25519-chain.pem', truststore: 'ed25519-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['cert.unsupported-key'] },
  { chain: 'p521-chain.pem', truststore: 'p521-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'rsapss-chain.pem', truststore: 'rsapss-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'rsapss-sig-chain.pem', truststore: 'rsapss-sig-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'rsapss-chain.pem', truststore: 'rsapss-truststore.pem', profile: 'apigw-rest', verdict: null },
  { chain: 'expired-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['cert.expired'] },
  { chain: 'not-yet-valid-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['cert.not-yet-valid'] },
  { chain: 'expiring-soon-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'accept', codes: ['cert.expiring-soon'] },
  { chain: 'expired-root-chain.pem', truststore: 'expired-root-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['cert.expired'] },
  { chain: 'expired-root-chain.pem', truststore: 'expired-root-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'sha1-leaf-chain.pem', truststore: 'rsa2048-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['cert.weak-signature-algorithm'] },
  { chain: 'rsa1024-inter-chain.pem', truststore: 'rsa1024-inter-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['cert.weak-key'] },
  { chain: 'v1-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'deny', codes: ['cert.v1'] },
  { chain: 'negative-serial-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['cert.negative-serial'] },
  { chain: 'four-ca-chain.pem', truststore: 'four-ca-truststore.pem', profile: 'apigw-rest', verdict: 'accept' },
  { chain: 'five-ca-chain.pem', truststore: 'five-ca-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['chain.too-long'] },
  { chain: 'p256-chain.pem', truststore: 'root-only-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['chain.issuer-not-in-truststore'] },
  { chain: 'p256-chain.pem', truststore: 'root-only-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'self-signed-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['chain.self-signed-leaf'] },
  { chain: 'unknown-issuer-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['chain.unknown-issuer'] },
  { chain: 'impostor-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'bad-signature-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'deny', codes: ['chain.bad-signature'] },
  { chain: 'not-a-ca-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'deny', codes: ['chain.not-a-ca'] },
  // Under rfc5280 every truststore certificate is a trust anchor, so the sub-CA ends the path.
  { chain: 'pathlen-chain.pem', truststore: 'pathlen-truststore.pem', profile: 'apigw-rest', verdict: 'deny', codes: ['chain.path-len-exceeded'] },
  { chain: 'pathlen-chain.pem', truststore: 'pathlen-truststore.pem', profile: 'rfc5280', verdict: 'accept' },
  { chain: 'name-constraints-bad-chain.pem', truststore: 'name-constraints-truststore.pem', profile: 'rfc5280', verdict: 'deny', codes: ['chain.name-constraints'] },
  { chain: 'server-eku-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'deny', codes: ['chain.eku-mismatch'] },
  {
    chain: 'server-leaf-chain.pem',
    truststore: 'p256-truststore.pem',
    profile: 'rfc5280',
    usage: 'server',
    peerName: 'api.example.test',
    verdict: 'accept',
  },
  { chain: 'indented-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'accept' },
  { chain: 'p256-chain.der', truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'accept' },
  { chain: 'p256-chain.pem', truststore: 'bom-crlf-truststore.pem', profile: 'apigw-rest', verdict: 'accept' },
  { chain: 'revoked-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', verdict: 'accept', findings: 'none' },
  { chain: 'revoked-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'rfc5280', crls: ['p256-inter-crl.pem'], verdict: 'deny', codes: ['chain.revoked'] },
  { chain: 'revoked-leaf-chain.pem', truststore: 'p256-truststore.pem', profile: 'apigw-rest', crls: ['p256-inter-crl.pem'], verdict: 'accept', codes: ['chain.revoked'] },
  { chain: 'crl-pki-revoked-chain.pem', truststore: 'crl-pki-truststore.pem', profile: 'alb', crls: ['crl-pki-inter-crl.der'], verdict: 'deny', codes: ['chain.revoked', 'crl.not-pem'] },
  { chain: 'crl-pki-revoked-chain.pem', truststore: 'crl-pki-truststore.pem', profile: 'rfc5280', crls: ['crl-pki-inter-expired-crl.pem'], verdict: 'accept', codes: ['crl.expired'] },
  { chain: 'crl-pki-revoked-chain.pem', truststore: 'crl-pki-truststore.pem', profile: 'rfc5280', crls: ['crl-pki-wrong-key-crl.pem'], verdict: 'accept', codes: ['crl.bad-signature'] },
];

const LINT_CASES = [
  { truststore: 'p256-truststore.pem', profile: 'apigw-rest', verdict: 'pass', findings: 'none' },
  { truststore: 'rsa2048-truststore.pem', profile: 'apigw-rest', verdict: 'pass', findings: 'none' },
  { truststore: 'root-only-truststore.pem', profile: 'apigw-rest', verdict: 'pass', findings: 'none' },
  { truststore: 'duplicate-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['truststore.duplicate'] },
  { truststore: 'leaf-in-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['truststore.leaf-certificate'] },
  { truststore: 'missing-issuer-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['truststore.missing-issuer'] },
  { truststore: 'same-subject-different-key-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['truststore.same-subject-different-key'] },
  { truststore: 'expired-inter-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['cert.expired'] },
  { truststore: 'format-blank-lines-truststore.pem', profile: 'alb', verdict: 'fail', codes: ['truststore.format'] },
  { truststore: 'format-trailing-garbage-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['truststore.format'] },
  { truststore: 'pkcs8-key-truststore.pem', profile: 'apigw-rest', verdict: 'fail', codes: ['input.private-key'] },
  { truststore: 'rsa-key-truststore.pem', profile: 'apigw-rest', verdict: 'fail', codes: ['input.private-key'] },
  { truststore: 'ec-key-truststore.pem', profile: 'apigw-rest', verdict: 'fail', codes: ['input.private-key'] },
  { truststore: 'encrypted-key-truststore.pem', profile: 'apigw-rest', verdict: 'fail', codes: ['input.private-key'] },
  { truststore: 'malformed-block-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['input.malformed'] },
  { truststore: 'csr-in-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['input.not-a-certificate'] },
  { truststore: 'crl-in-truststore.pem', profile: 'apigw-rest', verdict: null, codes: ['input.not-a-certificate'] },
  { truststore: 'bom-crlf-truststore.pem', profile: 'apigw-rest', verdict: null },
  { truststore: 'crl-pki-truststore.pem', profile: 'alb', crls: ['crl-pki-root-crl.pem'], verdict: 'fail', codes: ['truststore.revoked'] },
  { truststore: 'crl-pki-truststore.pem', profile: 'alb', crls: ['crl-pki-inter-expired-crl.pem'], verdict: 'fail', codes: ['crl.expired'] },
];

const CSR_CASES = [
  { csr: 'good.csr', profile: 'apigw-rest', verdict: 'pass', findings: 'none' },
  { csr: 'rsa2048.csr', profile: 'apigw-rest', verdict: 'pass', findings: 'none' },
  { csr: 'ed25519.csr', profile: 'apigw-rest', verdict: null, codes: ['csr.unsupported-key'] },
  { csr: 'bad-signature.csr', profile: 'apigw-rest', verdict: null, codes: ['csr.bad-signature'] },
  { csr: 'requests-ca.csr', profile: 'apigw-rest', verdict: null, codes: ['csr.requests-ca'] },
  { csr: 'challenge-password.csr', profile: 'apigw-rest', verdict: null, codes: ['csr.challenge-password'] },
  { csr: 'no-identity.csr', profile: 'apigw-rest', verdict: null, codes: ['csr.no-identity'] },
  { csr: 'rsa1024.csr', profile: 'apigw-rest', verdict: null, codes: ['csr.weak-key'] },
  { csr: 'empty-extension-request.csr', profile: 'apigw-rest', verdict: 'warn' },
];

const INSPECT_CASES = ['p256-root.der', 'p256-chain.pem', 'p256-leaf.b64', 'p256-leaf.urlenc', 'good.csr'];

const EXIT_CODES = { accept: 0, pass: 0, warn: 0, deny: 1, fail: 1 };

function fixture(name) {
  return path.join(FIXTURES, name);
}

function rowName(parts, row) {
  const crls = (row.crls ?? []).map((name) => `crl ${name}`);
  const options = [row.profile, row.usage, row.peerName, ...crls].filter(Boolean).join(', ');
  return `${parts.join(' + ')} (${options})`;
}

function assertExpected(report, row, where) {
  const codes = findingCodes(report);
  if (row.verdict) {
    assert.equal(report.verdict, row.verdict, `${where}: verdict (findings: ${codes.join(', ') || 'none'})`);
  }
  for (const code of row.codes ?? []) {
    assert.ok(codes.includes(code), `${where}: expected finding ${code}, got ${codes.join(', ') || 'none'}`);
  }
  if (row.findings === 'none') {
    assert.deepEqual(codes, [], `${where}: expected no findings`);
  }
}

// Compares the two reports and, for a known verdict, the CLI's exit code.
function assertSameReports(wasmReport, cli, row) {
  assertExpected(wasmReport, row, 'wasm');
  assertExpected(cli.report, row, 'CLI');
  const expectedStatus = EXIT_CODES[cli.report.verdict];
  if (expectedStatus !== undefined) {
    assert.equal(cli.status, expectedStatus, `CLI exit code for verdict ${cli.report.verdict}`);
  }
  assert.deepEqual(withoutTool(wasmReport), withoutTool(cli.report), 'wasm and CLI reports differ');
}

// Runs the CLI from the fixture folder, where the fixture names are relative paths.
function runCliOnFixtures(args) {
  return runCli(args, { cwd: FIXTURES });
}

describe('fixtures through wasm and the CLI', () => {
  test('fixture folder present', () => {
    assert.ok(existsSync(fixture('README.md')), `${FIXTURES} has no README.md: the fixtures are missing`);
  });

  describe('verify', () => {
    for (const row of VERIFY_CASES) {
      test(rowName([row.chain, row.truststore], row), async () => {
        const pkg = await loadPackage();
        const options = { profile: row.profile, usage: row.usage ?? 'client', at: FIXTURE_AT };
        if (row.peerName) {
          options.peerName = row.peerName;
        }
        if (row.crls) {
          options.crls = row.crls.map((name) => readBytes(fixture(name)));
        }

        const wasmReport = pkg.verifyChain(readBytes(fixture(row.chain)), readBytes(fixture(row.truststore)), options);
        const args = ['verify', row.chain, '--truststore', row.truststore, '--profile', row.profile];
        args.push('--usage', options.usage, '--at', FIXTURE_AT);
        if (row.peerName) {
          args.push('--peer-name', row.peerName);
        }
        for (const crl of row.crls ?? []) {
          args.push('--crl', crl);
        }
        assertSameReports(wasmReport, runCliOnFixtures(args), row);
      });
    }
  });

  describe('lint', () => {
    for (const row of LINT_CASES) {
      test(rowName([row.truststore], row), async () => {
        const pkg = await loadPackage();
        const crls = row.crls ?? [];
        const options = { profile: row.profile, at: FIXTURE_AT, crls: crls.map((name) => readBytes(fixture(name))) };
        const wasmReport = pkg.lintTruststore(readBytes(fixture(row.truststore)), options);
        const args = ['lint', row.truststore, '--profile', row.profile, '--at', FIXTURE_AT];
        for (const crl of crls) {
          args.push('--crl', crl);
        }
        const cli = runCliOnFixtures(args);
        assertSameReports(wasmReport, cli, row);
      });
    }
  });

  describe('csr', () => {
    for (const row of CSR_CASES) {
      test(rowName([row.csr], row), async () => {
        const pkg = await loadPackage();
        const wasmReport = pkg.inspectCsr(readBytes(fixture(row.csr)), { profile: row.profile, at: FIXTURE_AT });
        const cli = runCliOnFixtures(['csr', row.csr, '--profile', row.profile, '--at', FIXTURE_AT]);
        assertSameReports(wasmReport, cli, row);
      });
    }
  });

  describe('inspect', () => {
    for (const name of INSPECT_CASES) {
      test(name, async () => {
        const pkg = await loadPackage();
        const wasmReport = pkg.inspect(readBytes(fixture(name)), { at: FIXTURE_AT });
        const cli = runCliOnFixtures(['inspect', name, '--at', FIXTURE_AT]);
        assert.equal(wasmReport.command, 'inspect');
        assert.ok(wasmReport.items.length > 0, 'inspect read no items');
        assert.deepEqual(withoutTool(wasmReport), withoutTool(cli.report), 'wasm and CLI reports differ');
      });
    }
  });

  test('text and bytes inputs give the same report', async () => {
    const pkg = await loadPackage();
    const options = { profile: 'apigw-rest', at: FIXTURE_AT };
    const chainPath = fixture('p256-chain.pem');
    const truststorePath = fixture('p256-truststore.pem');

    const fromText = pkg.verifyChain(readFileSync(chainPath, 'utf8'), readFileSync(truststorePath, 'utf8'), options);
    const fromBytes = pkg.verifyChain(readBytes(chainPath), readBytes(truststorePath), options);
    assert.equal(fromText.verdict, 'accept');
    assert.deepEqual(fromText, fromBytes);
  });

  test('private keys never appear in a report', async () => {
    const pkg = await loadPackage();
    const markers = readFileSync(fixture('private-key-markers.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    assert.ok(markers.length > 0, 'private-key-markers.txt lists no markers');

    for (const name of ['pkcs8-key-truststore.pem', 'rsa-key-truststore.pem', 'ec-key-truststore.pem', 'encrypted-key-truststore.pem']) {
      const wasmJson = JSON.stringify(pkg.lintTruststore(readBytes(fixture(name)), { at: FIXTURE_AT }));
      const cli = runCliOnFixtures(['lint', name, '--at', FIXTURE_AT]);
      const cliJson = JSON.stringify(cli.report) + cli.stderr;
      for (const marker of markers) {
        assert.ok(!wasmJson.includes(marker), `wasm report for ${name} contains private key material`);
        assert.ok(!cliJson.includes(marker), `CLI output for ${name} contains private key material`);
      }
    }
  });

  test('invalid option raises an error', async () => {
    const pkg = await loadPackage();
    const truststore = readBytes(fixture('p256-truststore.pem'));
    assert.throws(() => pkg.lintTruststore(truststore, { profile: 'no-such-gateway' }), Error);
    assert.throws(() => pkg.lintTruststore(truststore, { at: 'yesterday' }), Error);
  });
});
