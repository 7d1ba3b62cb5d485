// Runs the checks off the main thread, so a large truststore does not freeze the
// tab. It receives {id, operation, args}, reports {id, stage: 'started'} when
// it starts a call, and posts {id, result} or {id, error} when it ends. The
// operation 'load' only loads the module, so the page can do that up front.
//
// The wasm module comes from a JavaScript module as base64, as on the page,
// because the page's Content-Security-Policy forbids fetch().

const OPERATIONS = new Set(['verifyChain', 'lintTruststore', 'inspectCsr', 'decodeForwarded', 'fixTruststore']);

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

self.addEventListener('message', async (event) => {
  const { id, operation, args } = event.data;
  try {
    if (operation !== 'load' && !OPERATIONS.has(operation)) {
      throw new Error(`unknown operation ${operation}: expected load or one of ${[...OPERATIONS].join(', ')}`);
    }
    checkerPromise ??= loadChecker();
    const checker = await checkerPromise;
    if (operation === 'load') {
      self.postMessage({ id, result: null });
      return;
    }
    self.postMessage({ id, stage: 'started' });
    self.postMessage({ id, result: checker[operation](...args) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
