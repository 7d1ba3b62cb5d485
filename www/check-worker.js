// Runs every call into the checker off the main thread, so a large truststore
// never freezes the tab. It receives {id, operation, args}, posts
// {id, stage, message} as each step of a call starts, and ends each call with
// {id, result} or {id, error}. The operation 'load' only loads the module, so
// the page can do that up front.
//
// The wasm module comes from a JavaScript module as base64, because the page's
// Content-Security-Policy forbids fetch().

// Checker exports the page may call as they are.
const EXPORTS = new Set([
  'verifyChain',
  'lintTruststore',
  'inspectCsr',
  'inspect',
  'decodeForwarded',
  'fixTruststore',
  'toSarif',
  'expiryForecast',
  'profiles',
]);

// Operations written here on top of the exports.
const HELPERS = {
  detectKind,
  describeCertificate,
  checkWithForecast,
};

let checkerPromise = null;

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) {
    bytes[index] = binary.charCodeAt(index);
  }
  return bytes;
}

async function loadChecker() {
  const [bindings, wasmBytes] = await Promise.all([
    import('../pkg/mtls_check.js'),
    import('../pkg/mtls_check_wasm_bytes.js'),
  ]);
  await bindings.default({ module_or_path: decodeBase64(wasmBytes.WASM_BASE64) });
  return bindings;
}

function byteLength(input) {
  return typeof input === 'string' ? new TextEncoder().encode(input).length : input.byteLength;
}

// Counts PEM certificate blocks, or returns null for DER and other binary input.
function countPemCertificates(input) {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  const matches = text.match(/-----BEGIN (X509 |TRUSTED )?CERTIFICATE-----/g);
  return matches ? matches.length : null;
}

function describeInput(name, input) {
  const kilobytes = (byteLength(input) / 1024).toFixed(1);
  const count = countPemCertificates(input);
  return count === null ? `${name}: ${kilobytes} KB` : `${name}: ${count} PEM certificate blocks, ${kilobytes} KB`;
}

// Names the kind of an input: "csr", "truststore", "chain" or null. A bundle of
// CA certificates only is a truststore; one with a non-CA certificate is a chain.
function detectKind(checker, _stage, input) {
  let report;
  try {
    report = checker.inspect(input, {});
  } catch {
    return null;
  }
  const certificates = report.items.filter((item) => item.kind === 'certificate' && item.summary);
  if (certificates.length === 0) {
    return report.items.some((item) => item.kind === 'certificate-request') ? 'csr' : null;
  }
  return certificates.every((item) => item.summary.is_ca) ? 'truststore' : 'chain';
}

// Returns the full description (the `inspect` report's entry) of the
// certificate with this SHA-256 fingerprint in the input, or null.
function describeCertificate(checker, _stage, input, sha256) {
  const report = checker.inspect(input, {});
  return (report.certificates ?? []).find((certificate) => certificate.fingerprints?.sha256 === sha256) ?? null;
}

const CHECK_INPUTS = {
  verifyChain: ['client chain', 'truststore'],
  lintTruststore: ['truststore'],
  inspectCsr: ['CSR'],
  decodeForwarded: ['forwarded certificate'],
};

// Returns the variant of a check that verifies signatures with the browser's
// WebCrypto, or the synchronous export where there is none. Both give the
// same report, and the WebCrypto one is several times faster on large bundles.
function checkFunction(checker, operation) {
  const asynchronous = checker[`${operation}Async`];
  if (typeof asynchronous === 'function' && globalThis.crypto?.subtle) {
    return { run: asynchronous, backend: 'signatures in WebCrypto' };
  }
  return { run: checker[operation], backend: 'signatures in WebAssembly' };
}

// Runs one check and builds its expiry forecast, posting a stage message
// before each step: reading the inputs, the check itself, the forecast.
async function checkWithForecast(checker, stage, operation, ...args) {
  const names = CHECK_INPUTS[operation];
  if (!names) {
    throw new Error(`checkWithForecast cannot run ${operation}: expected one of ${Object.keys(CHECK_INPUTS).join(', ')}`);
  }
  stage('reading', `Reading ${names.map((name, index) => describeInput(name, args[index])).join('; ')}`);

  const options = args[names.length] ?? {};
  const profile = options.profile ?? 'apigw-rest';
  const check = checkFunction(checker, operation);
  stage('checking', `Running ${operation} under the ${profile} profile (${check.backend})`);
  const report = await check.run(...args);

  stage('forecast', `Building the expiry forecast of ${report.items.length} items`);
  const forecast = checker.expiryForecast(report);

  stage('sending', `Sending the report (${report.findings.length} findings) to the page`);
  return { report, forecast };
}

self.addEventListener('message', async (event) => {
  const { id, operation, args = [] } = event.data;
  const stage = (name, message) => self.postMessage({ id, stage: name, message });
  try {
    if (operation !== 'load' && !EXPORTS.has(operation) && !(operation in HELPERS)) {
      const known = ['load', ...EXPORTS, ...Object.keys(HELPERS)].join(', ');
      throw new Error(`unknown operation ${operation}: expected one of ${known}`);
    }
    checkerPromise ??= loadChecker();
    const checker = await checkerPromise;
    if (operation === 'load') {
      self.postMessage({ id, result: null });
      return;
    }
    const result = await (operation in HELPERS ? HELPERS[operation](checker, stage, ...args) : checker[operation](...args));
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
