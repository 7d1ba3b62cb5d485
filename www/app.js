// The mtls-check page: reads the inputs, runs the checks in WebAssembly and shows the reports.
//
// The wasm module comes from ../pkg/, built by `make pkg`. The page's CSP forbids fetch(), so
// the module bytes are imported as a base64 string (pkg/mtls_check_wasm_bytes.js) and compiled
// from memory. Nothing typed or loaded here leaves the tab.

import { renderError, renderReport } from './report-view.js';

const INPUT_NAMES = ['truststore', 'chain', 'csr'];

// Per input box: the bytes of the file loaded into it, kept so that CRLF line endings,
// a byte order mark or DER are checked exactly as in the file. Editing the box drops them.
const loadedFiles = new Map(INPUT_NAMES.map((name) => [name, null]));

let checker = null;
let runCount = 0;

function element(id) {
  return document.getElementById(id);
}

function setEngineStatus(text, state) {
  const status = element('engine-status');
  status.textContent = text;
  status.dataset.state = state;
}

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') {
    return Uint8Array.fromBase64(text);
  }
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
  const bytes = decodeBase64(wasmBytes.WASM_BASE64);

  // Chromium caps synchronous compilation (`new WebAssembly.Module`, used by initSync) on
  // the main thread by module size, so the page uses the async initializer.
  await bindings.default({ module_or_path: bytes });
  return bindings;
}

// Text shown in a box for a loaded file, or null when the file is binary (DER).
function decodeAsText(bytes) {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}

function describeSource(name) {
  const source = element(`${name}-source`);
  const file = loadedFiles.get(name);
  if (file === null) {
    source.textContent = '';
    return;
  }
  const kind = file.isText ? 'text' : 'binary';
  source.textContent = `Checking the bytes of ${file.name} (${file.bytes.length} bytes, ${kind}) as loaded. Editing the box replaces them with the box's text.`;
}

async function loadFile(name, file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = decodeAsText(bytes);
  const textarea = element(name);

  textarea.value = text ?? `[binary file ${file.name}: ${bytes.length} bytes]`;
  loadedFiles.set(name, { name: file.name, bytes, isText: text !== null });
  describeSource(name);
}

function reportLoadFailure(name, file, error) {
  element(`${name}-source`).textContent = `Could not read ${file.name}: ${error.message}`;
}

function wireInput(name) {
  const textarea = element(name);
  const picker = element(`${name}-file`);

  textarea.addEventListener('input', () => {
    loadedFiles.set(name, null);
    describeSource(name);
  });

  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    if (file) {
      loadFile(name, file).catch((error) => reportLoadFailure(name, file, error));
    }
    picker.value = '';
  });

  textarea.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      textarea.classList.add('drop-target');
    }
  });
  textarea.addEventListener('dragleave', () => textarea.classList.remove('drop-target'));
  textarea.addEventListener('drop', (event) => {
    textarea.classList.remove('drop-target');
    const file = event.dataTransfer?.files?.[0];
    if (file) {
      event.preventDefault();
      loadFile(name, file).catch((error) => reportLoadFailure(name, file, error));
    }
  });
}

// The value passed to the checker: the loaded file's bytes, else the box's text; null when empty.
function inputValue(name) {
  const file = loadedFiles.get(name);
  if (file !== null) {
    return file.bytes;
  }
  const text = element(name).value;
  return text.trim() === '' ? null : text;
}

function readOptions() {
  const options = { profile: element('profile').value };
  const at = element('check-time').value.trim();
  if (at !== '') {
    options.at = at;
  }
  return options;
}

function readVerifyOptions() {
  const options = { ...readOptions(), usage: element('usage').value };
  const peerName = element('peer-name').value.trim();
  if (peerName !== '') {
    options.peerName = peerName;
  }
  return options;
}

// The checks the current inputs call for, in display order.
function plannedChecks() {
  const truststore = inputValue('truststore');
  const chain = inputValue('chain');
  const csr = inputValue('csr');
  const checks = [];

  if (chain !== null && truststore !== null) {
    checks.push({
      title: 'Client chain against the truststore',
      run: () => checker.verifyChain(chain, truststore, readVerifyOptions()),
    });
  } else if (truststore !== null) {
    checks.push({
      title: 'Truststore',
      run: () => checker.lintTruststore(truststore, readOptions()),
    });
  } else if (chain !== null) {
    checks.push({
      title: 'Client chain',
      error: 'A client chain is verified against a truststore: add the truststore the gateway uses.',
    });
  }

  if (csr !== null) {
    checks.push({
      title: 'Certificate signing request',
      run: () => checker.inspectCsr(csr, readOptions()),
    });
  }
  return checks;
}

function runCheck(check) {
  if (check.error) {
    return renderError(check.title, check.error);
  }
  try {
    return renderReport(check.title, check.run());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return renderError(check.title, message);
  }
}

async function onSubmit(event) {
  event.preventDefault();
  if (checker === null) {
    return;
  }

  const checks = plannedChecks();
  const reports = element('reports');
  const placeholder = element('results-placeholder');
  if (checks.length === 0) {
    reports.replaceChildren();
    runCount += 1;
    reports.dataset.run = String(runCount);
    placeholder.hidden = false;
    placeholder.textContent = 'Nothing to check: give a truststore, a client chain with its truststore, or a CSR.';
    return;
  }

  const button = element('check-button');
  button.disabled = true;
  setEngineStatus('Checking…', 'busy');
  // Let the browser paint the busy state before the synchronous wasm calls.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

  const views = checks.map(runCheck);
  placeholder.hidden = true;
  reports.replaceChildren(...views);
  runCount += 1;
  reports.dataset.run = String(runCount);
  button.disabled = false;
  setEngineStatus('Done. The reports are below.', 'ready');
}

function clearInputs() {
  for (const name of INPUT_NAMES) {
    element(name).value = '';
    loadedFiles.set(name, null);
    describeSource(name);
  }
}

async function start() {
  for (const name of INPUT_NAMES) {
    wireInput(name);
  }
  element('check-form').addEventListener('submit', onSubmit);
  element('clear-button').addEventListener('click', clearInputs);

  try {
    checker = await loadChecker();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    setEngineStatus(`The checker failed to load (${message}). Build it with \`make pkg\` and reload.`, 'error');
    return;
  }
  element('check-button').disabled = false;
  setEngineStatus('Ready.', 'ready');
}

start();
