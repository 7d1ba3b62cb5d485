// Invokes the Lambda REQUEST authorizer example with events shaped like the ones
// API Gateway sends from a custom domain with mutual TLS: REST API, HTTP API
// payload 1.0 and HTTP API payload 2.0, each for an allowed and a denied client.

import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';

import { EXAMPLES, fixtureText, linkPackage } from './examples-support.mjs';

const ACCOUNT = '123456789012';
const REST_ARN = `arn:aws:execute-api:eu-west-1:${ACCOUNT}:a1b2c3d4e5/prod/GET/orders`;
const HTTP_ARN = `arn:aws:execute-api:eu-west-1:${ACCOUNT}:f6g7h8i9j0/$default/GET/orders`;

function clientCert(pem) {
  return {
    clientCertPem: pem,
    subjectDN: 'CN=client-001,O=Example',
    issuerDN: 'CN=Example Intermediate CA,O=Example',
    serialNumber: '39:7e:d5:e0:42:af:78:76:60:4d:f9:24:2a:1d:e1:02:39:f0:f9:6c',
    validity: { notBefore: 'Jan  1 00:00:00 2020 GMT', notAfter: 'Jan  1 00:00:00 2050 GMT' },
  };
}

// REST API REQUEST authorizer event (custom domain with mutual TLS).
function restEvent(pem) {
  return {
    type: 'REQUEST',
    methodArn: REST_ARN,
    resource: '/orders',
    path: '/orders',
    httpMethod: 'GET',
    headers: { Host: 'api.example.com' },
    queryStringParameters: {},
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'a1b2c3d4e5',
      domainName: 'api.example.com',
      stage: 'prod',
      identity: { sourceIp: '192.0.2.10', clientCert: clientCert(pem) },
    },
  };
}

// HTTP API event, payload format 1.0: the REST shape plus a version field.
function httpV1Event(pem) {
  return { ...restEvent(pem), version: '1.0', methodArn: HTTP_ARN };
}

// HTTP API event, payload format 2.0.
function httpV2Event(pem) {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: HTTP_ARN,
    identitySource: [],
    routeKey: 'GET /orders',
    rawPath: '/orders',
    headers: { host: 'api.example.com' },
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'f6g7h8i9j0',
      domainName: 'api.example.com',
      http: { method: 'GET', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '192.0.2.10' },
      authentication: { clientCert: clientCert(pem) },
    },
  };
}

let handler;

before(async () => {
  linkPackage();
  const module = await import(pathToFileURL(path.join(EXAMPLES, 'lambda-authorizer', 'index.mjs')).href);
  handler = module.handler;
});

describe('lambda authorizer example', () => {
  const allowed = () => fixtureText('p256-leaf.pem');
  // A certificate from a CA outside the example's truststore.
  const unknown = () => fixtureText('unknown-issuer-chain.pem');

  test('REST event allowed', async () => {
    const response = await handler(restEvent(allowed()));
    assert.equal(response.principalId, 'CN=client-001,O=Example');
    assert.deepEqual(response.policyDocument.Statement, [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: REST_ARN }]);
    assert.equal(response.context.decision, 'allow');
  });

  test('REST event denied for unknown issuer', async () => {
    const response = await handler(restEvent(unknown()));
    assert.equal(response.policyDocument.Statement[0].Effect, 'Deny');
    assert.equal(response.policyDocument.Statement[0].Resource, REST_ARN);
    assert.match(response.context.reasonCodes, /chain\.unknown-issuer/);
  });

  test('HTTP payload 1.0 allowed', async () => {
    const response = await handler(httpV1Event(allowed()));
    assert.equal(response.policyDocument.Statement[0].Effect, 'Allow');
    assert.equal(response.policyDocument.Statement[0].Resource, HTTP_ARN);
  });

  test('HTTP payload 1.0 denied', async () => {
    const response = await handler(httpV1Event(unknown()));
    assert.equal(response.policyDocument.Statement[0].Effect, 'Deny');
  });

  test('HTTP payload 2.0 allowed', async () => {
    const response = await handler(httpV2Event(allowed()));
    assert.equal(response.isAuthorized, true);
    assert.equal(response.context.profile, 'apigw-http');
  });

  test('HTTP payload 2.0 denied', async () => {
    const response = await handler(httpV2Event(unknown()));
    assert.equal(response.isAuthorized, false);
    assert.match(response.context.reasonCodes, /chain\.unknown-issuer/);
  });

  test('event without client certificate denied', async () => {
    const event = restEvent(allowed());
    delete event.requestContext.identity.clientCert;
    const response = await handler(event);
    assert.equal(response.policyDocument.Statement[0].Effect, 'Deny');
    assert.match(response.context.reasonCodes, /event\.no-client-certificate/);
  });
});
