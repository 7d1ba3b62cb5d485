// Runs forwarded certificates built from the fixtures through decodeForwarded() in the
// wasm package and `mtls-check decode` natively: both must give the same report.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import { FIXTURES, FIXTURE_AT, findingCodes, loadPackage, runCli, withoutTool } from './support.mjs';

function fixtureText(name) {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function derBase64(name) {
  return fixtureText(name)
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
}

// URL-encodes PEM the way ALB does: spaces and newlines escaped, '+' and '/' literal.
function albEncode(pem, escapeEquals) {
  const encoded = pem.replaceAll(' ', '%20').replaceAll('\n', '%0A');
  return escapeEquals ? encoded.replaceAll('=', '%3D') : encoded;
}

// URL-encodes as nginx's $ssl_client_escaped_cert does.
function nginxEncode(pem) {
  return encodeURIComponent(pem).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function clientCert() {
  return {
    clientCertPem: fixtureText('p256-leaf.pem'),
    subjectDN: 'O=Example,CN=client-001',
    issuerDN: 'CN=Example Issuing CA,O=Example',
  };
}

const chainPem = () => fixtureText('p256-chain.pem');

// Each row: a name, the input text, the expected first format, verdict and finding codes.
const CASES = [
  {
    name: 'API Gateway REST event',
    input: () => JSON.stringify({ requestContext: { identity: { clientCert: clientCert() } } }),
    format: 'apigw-rest-event',
    verdict: 'accept',
  },
  {
    name: 'API Gateway HTTP event',
    input: () => JSON.stringify({ version: '2.0', requestContext: { authentication: { clientCert: clientCert() } } }),
    format: 'apigw-http-event',
    verdict: 'accept',
  },
  { name: 'ALB with %3D', input: () => `X-Amzn-Mtls-Clientcert: ${albEncode(chainPem(), true)}`, format: 'alb-x-amzn-mtls-clientcert', verdict: 'accept' },
  { name: 'ALB with literal =', input: () => albEncode(chainPem(), false), format: 'alb-x-amzn-mtls-clientcert', verdict: 'accept' },
  { name: 'nginx escaped', input: () => nginxEncode(fixtureText('p256-leaf.pem')), format: 'nginx-ssl-client-escaped-cert', verdict: 'accept' },
  {
    name: 'XFCC with two elements',
    input: () => `x-forwarded-client-cert: By=spiffe://example.test/a;Chain=${nginxEncode(chainPem())},By=spiffe://example.test/b;Cert="${nginxEncode(fixtureText('p256-inter.pem'))}"`,
    format: 'envoy-xfcc',
    verdict: 'accept',
  },
  {
    name: 'Traefik with two certificates',
    input: () => `X-Forwarded-Tls-Client-Cert: ${derBase64('p256-leaf.pem')},${derBase64('p256-inter.pem')}`,
    format: 'traefik-x-forwarded-tls-client-cert',
    verdict: 'accept',
  },
  {
    name: 'RFC 9440 with chain',
    input: () => `Client-Cert: :${derBase64('p256-leaf.pem')}:\nClient-Cert-Chain: :${derBase64('p256-inter.pem')}:`,
    format: 'rfc9440-client-cert',
    verdict: 'accept',
  },
  { name: 'Cloudflare DER base64', input: () => `Cf-Client-Cert-Der-Base64: ${derBase64('p256-leaf.pem')}`, format: 'cloudflare-cf-client-cert-der-base64', verdict: 'accept' },
  {
    name: 'XFCC unterminated quote',
    input: () => `x-forwarded-client-cert: Hash=00;Cert="${nginxEncode(fixtureText('p256-leaf.pem'))}`,
    format: 'envoy-xfcc',
    verdict: 'deny',
    codes: ['forwarded.malformed'],
  },
  { name: 'RFC 9440 without colons', input: () => `Client-Cert: ${derBase64('p256-leaf.pem')}`, format: 'rfc9440-client-cert', verdict: 'deny', codes: ['forwarded.malformed'] },
];

describe('decodeForwarded through wasm and the CLI', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'mtls-check-forwarded-'));
  const truststore = fixtureText('p256-truststore.pem');

  for (const [index, row] of CASES.entries()) {
    test(row.name, async () => {
      const pkg = await loadPackage();
      const input = row.input();
      const wasmReport = pkg.decodeForwarded(input, { truststore, at: FIXTURE_AT });

      const file = path.join(folder, `sample-${index}.txt`);
      writeFileSync(file, input);
      const cli = runCli(['decode', file, '--truststore', path.join(FIXTURES, 'p256-truststore.pem'), '--at', FIXTURE_AT]);

      for (const report of [wasmReport, cli.report]) {
        assert.equal(report.command, 'decode');
        assert.equal(report.forwarded.formats[0], row.format);
        assert.equal(report.verdict, row.verdict, `findings: ${findingCodes(report).join(', ')}`);
        for (const code of row.codes ?? []) {
          assert.ok(findingCodes(report).includes(code), `expected ${code}`);
        }
      }
      assert.deepEqual(withoutTool(wasmReport), withoutTool(cli.report), 'wasm and CLI reports differ');
    });
  }

  test('without a truststore only lists', async () => {
    const pkg = await loadPackage();
    const report = pkg.decodeForwarded(`Cf-Client-Cert-Der-Base64: ${derBase64('p256-leaf.pem')}`, { at: FIXTURE_AT });
    assert.equal(report.verdict, 'pass');
    assert.equal(report.items.length, 1);
    assert.equal(report.path, undefined);
  });
});
