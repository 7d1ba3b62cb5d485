// A Lambda@Edge viewer-request function for a CloudFront distribution with
// viewer mTLS in passthrough mode. CloudFront forwards the client's leaf in the
// RFC 9440 Client-Cert header, any intermediates in Client-Cert-Chain, and
// metadata such as CloudFront-Viewer-Cert-Sha256. The function checks them
// against the truststore bundled beside it. It returns a 403 response with the
// reasons, or the request with the client's identity in X-Client-* headers.
//
// Lambda@Edge has no environment variables, so the truststore ships in the
// deployment package as truststore.pem.

import { readFileSync } from 'node:fs';
import { decodeForwarded } from 'mtls-check';

const FORWARDED_HEADERS = ['Client-Cert', 'Client-Cert-Chain'];
const IDENTITY_HEADERS = ['X-Client-Subject', 'X-Client-Issuer', 'X-Client-Serial', 'X-Client-Sha256'];

// Reads the forwarded headers from the CloudFront event's lower-cased header map as `Name: value` lines.
function forwardedLines(headers) {
  const lines = [];
  for (const name of FORWARDED_HEADERS) {
    const entries = headers[name.toLowerCase()] ?? [];
    for (const entry of entries) lines.push(`${name}: ${entry.value}`);
  }
  return lines.join('\n');
}

function forbidden(reasons) {
  return {
    status: '403',
    statusDescription: 'Forbidden',
    headers: { 'content-type': [{ key: 'Content-Type', value: 'application/json' }] },
    body: JSON.stringify({ error: 'client certificate rejected', reasons }),
  };
}

function setHeader(headers, name, value) {
  headers[name.toLowerCase()] = [{ key: name, value }];
}

function hex(fingerprint) {
  return fingerprint.replaceAll(':', '').toLowerCase();
}

// Returns the failures: error findings, and a CloudFront-Viewer-Cert-Sha256
// header (64 lowercase hex digits) that names another certificate than Client-Cert.
function failures(report, headers, leaf) {
  const reasons = report.findings
    .filter((finding) => finding.severity === 'error')
    .map(({ code, message }) => ({ code, message }));
  const sent = headers['cloudfront-viewer-cert-sha256']?.[0]?.value;
  if (sent && leaf && hex(sent) !== hex(leaf.summary.sha256_fingerprint)) {
    reasons.push({
      code: 'forwarded.metadata-mismatch',
      message: `CloudFront-Viewer-Cert-Sha256 (${sent}) does not match the SHA-256 of the Client-Cert certificate`,
    });
  }
  return reasons;
}

// Builds a viewer-request handler for a truststore (PEM text) and options ({profile, at}).
export function createHandler(truststore, options = {}) {
  return async function viewerRequest(event) {
    const request = event.Records[0].cf.request;
    const input = forwardedLines(request.headers);
    if (!input) {
      return forbidden([{ code: 'input.no-certificate', message: 'the request carries no Client-Cert header' }]);
    }

    const report = decodeForwarded(input, { profile: 'cloudfront', ...options, truststore });
    const leaf = report.items.find((item) => item.role === 'leaf' && item.summary);
    const reasons = failures(report, request.headers, leaf);
    if (report.verdict !== 'accept' || !leaf || reasons.length > 0) {
      console.log(JSON.stringify({ decision: 'deny', uri: request.uri, clientIp: request.clientIp, reasons: reasons.map((r) => r.code) }));
      return forbidden(reasons);
    }

    for (const name of IDENTITY_HEADERS) delete request.headers[name.toLowerCase()];
    setHeader(request.headers, 'X-Client-Subject', leaf.summary.subject);
    setHeader(request.headers, 'X-Client-Issuer', leaf.summary.issuer);
    setHeader(request.headers, 'X-Client-Serial', leaf.summary.serial);
    setHeader(request.headers, 'X-Client-Sha256', leaf.summary.sha256_fingerprint);
    return request;
  };
}

export const handler = createHandler(readFileSync(new URL('./truststore.pem', import.meta.url), 'utf8'));
