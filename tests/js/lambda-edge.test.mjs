// Invokes the Lambda@Edge viewer-request example with CloudFront events that
// carry the viewer mTLS passthrough headers, for accepted and rejected clients.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';

import { EXAMPLES, derBase64, fixtureText, linkPackage, registeredCodes, rfc9440 } from './examples-support.mjs';

function header(name, value) {
  return { [name.toLowerCase()]: [{ key: name, value }] };
}

function sha256Hex(pem) {
  return createHash('sha256').update(Buffer.from(derBase64(pem), 'base64')).digest('hex');
}

// A viewer-request event as Lambda@Edge receives it.
function viewerRequest(headers) {
  return {
    Records: [{
      cf: {
        config: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'test-request' },
        request: {
          clientIp: '192.0.2.10',
          method: 'GET',
          uri: '/orders',
          querystring: '',
          headers: { ...header('Host', 'api.example.com'), ...headers },
        },
      },
    }],
  };
}

let handler;

before(async () => {
  linkPackage();
  handler = (await import(pathToFileURL(path.join(EXAMPLES, 'lambda-edge', 'index.mjs')).href)).handler;
});

describe('lambda edge example', () => {
  const leaf = () => fixtureText('p256-leaf.pem');
  const intermediate = () => fixtureText('p256-inter.pem');

  test('passthrough headers accepted', async () => {
    const result = await handler(viewerRequest({
      ...header('Client-Cert', rfc9440(leaf())),
      ...header('Client-Cert-Chain', rfc9440(intermediate())),
      ...header('CloudFront-Viewer-Cert-Sha256', sha256Hex(leaf())),
      ...header('X-Client-Subject', 'CN=admin'),
    }));
    assert.equal(result.status, undefined, JSON.stringify(result));
    assert.equal(result.uri, '/orders');
    assert.deepEqual(result.headers['x-client-subject'], [{ key: 'X-Client-Subject', value: 'CN=client-001,O=Example' }]);
    assert.equal(result.headers['x-client-serial'][0].value, '397ed5e042af7876604df9242a1de10239f0f96c');
  });

  test('unknown issuer rejected', async () => {
    const unknown = fixtureText('unknown-issuer-chain.pem').split(/(?<=-----END CERTIFICATE-----)/)[0];
    const result = await handler(viewerRequest(header('Client-Cert', rfc9440(unknown))));
    assert.equal(result.status, '403');
    assert.ok(JSON.parse(result.body).reasons.some((reason) => reason.code === 'chain.unknown-issuer'), result.body);
  });

  test('mismatched fingerprint rejected', async () => {
    const result = await handler(viewerRequest({
      ...header('Client-Cert', rfc9440(leaf())),
      ...header('CloudFront-Viewer-Cert-Sha256', '00'.repeat(32)),
    }));
    assert.equal(result.status, '403');
    assert.equal(JSON.parse(result.body).reasons[0].code, 'forwarded.metadata-mismatch');
  });

  test('missing certificate rejected', async () => {
    const result = await handler(viewerRequest({}));
    assert.equal(result.status, '403');
    const { code } = JSON.parse(result.body).reasons[0];
    assert.equal(code, 'input.no-certificate');
    assert.ok(registeredCodes().has(code), 'the code is in the rule registry');
  });
});
