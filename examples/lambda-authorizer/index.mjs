// An API Gateway Lambda REQUEST authorizer for REST APIs and HTTP APIs (payload
// formats 1.0 and 2.0) on a custom domain with mutual TLS. API Gateway has
// already checked the chain against its truststore; this function applies a
// policy on top: the same truststore under the gateway's profile, allowed
// issuers, subject and SAN patterns, SHA-256 pins and denied serials.
//
// Configuration, read once per container:
//   MTLS_POLICY_FILE      JSON policy (allowedIssuers, subjectPatterns, sanPatterns,
//                         fingerprints, deniedSerials, profile, at); default ./policy.json
//   MTLS_TRUSTSTORE_FILE  PEM CA bundle; default ./truststore.pem, skipped when missing

import { existsSync, readFileSync } from 'node:fs';
import { authorize } from 'mtls-check';

const HERE = new URL('./', import.meta.url);

let cachedPolicy = null;

function loadPolicy() {
  const policyFile = process.env.MTLS_POLICY_FILE ?? new URL('policy.json', HERE);
  const truststoreFile = process.env.MTLS_TRUSTSTORE_FILE ?? new URL('truststore.pem', HERE);
  const policy = existsSync(policyFile) ? JSON.parse(readFileSync(policyFile, 'utf8')) : {};
  if (existsSync(truststoreFile)) {
    policy.truststore = readFileSync(truststoreFile, 'utf8');
  }
  return policy;
}

export async function handler(event) {
  cachedPolicy ??= loadPolicy();
  const response = authorize(event, cachedPolicy, {});
  const denied = response.isAuthorized === false || response.policyDocument?.Statement[0].Effect === 'Deny';
  if (denied) {
    console.log(JSON.stringify({ decision: 'deny', reasons: response.context.reasonCodes, route: event.methodArn ?? event.routeArn }));
  }
  return response;
}
