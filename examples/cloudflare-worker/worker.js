// A Cloudflare Worker that checks the client certificate Cloudflare forwards
// (the Cf-Client-Cert-Der-Base64 header of an mTLS transform rule, or an
// RFC 9440 Client-Cert / Client-Cert-Chain pair) against the truststore
// bundled with the Worker. It returns 403 with the reasons, or passes the
// request to the origin with the client's identity in X-Client-* headers.
//
// Bindings: TRUSTSTORE (text, PEM bundle), PROFILE (text, default
// "cloudflare"), CHECK_AT (text, RFC 3339, default now), ORIGIN (optional
// service binding; without it the request goes to its own URL).

import { decodeForwarded } from 'mtls-check';

const FORWARDED_HEADERS = ['Cf-Client-Cert-Der-Base64', 'Client-Cert', 'Client-Cert-Chain'];
const IDENTITY_HEADERS = ['X-Client-Subject', 'X-Client-Issuer', 'X-Client-Serial', 'X-Client-Sha256'];

// Collects the forwarded certificate headers as `Name: value` lines.
function forwardedLines(headers) {
  const lines = [];
  for (const name of FORWARDED_HEADERS) {
    const value = headers.get(name);
    if (value) lines.push(`${name}: ${value}`);
  }
  return lines.join('\n');
}

function reject(status, reasons) {
  const body = JSON.stringify({ error: 'client certificate rejected', reasons }, null, 2);
  return new Response(`${body}\n`, { status, headers: { 'Content-Type': 'application/json' } });
}

function leafSummary(report) {
  const leaf = report.items.find((item) => item.role === 'leaf' && item.summary);
  return leaf ? leaf.summary : null;
}

export default {
  async fetch(request, env) {
    const input = forwardedLines(request.headers);
    if (!input) {
      return reject(403, [{ code: 'input.no-certificate', message: 'the request carries no forwarded client certificate' }]);
    }

    const options = { truststore: env.TRUSTSTORE, profile: env.PROFILE || 'cloudflare' };
    if (env.CHECK_AT) options.at = env.CHECK_AT;
    const report = decodeForwarded(input, options);
    const summary = leafSummary(report);
    if (report.verdict !== 'accept' || !summary) {
      const reasons = report.findings
        .filter((finding) => finding.severity === 'error')
        .map(({ code, message }) => ({ code, message }));
      console.log(JSON.stringify({ decision: 'deny', url: request.url, reasons: reasons.map((r) => r.code) }));
      return reject(403, reasons);
    }

    // Client-supplied copies of the identity headers are removed before the checked values are set.
    const forwarded = new Request(request);
    for (const name of IDENTITY_HEADERS) forwarded.headers.delete(name);
    forwarded.headers.set('X-Client-Subject', summary.subject);
    forwarded.headers.set('X-Client-Issuer', summary.issuer);
    forwarded.headers.set('X-Client-Serial', summary.serial);
    forwarded.headers.set('X-Client-Sha256', summary.sha256_fingerprint);
    return env.ORIGIN ? env.ORIGIN.fetch(forwarded) : fetch(forwarded);
  },
};
