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

// The checks run in a module worker (check-worker.js) so that large bundles leave the tab responsive.
let checkWorker = null;
let nextCallId = 0;
const pendingCalls = new Map();

function startCheckWorker() {
  checkWorker = new Worker(new URL('./check-worker.js', import.meta.url), { type: 'module' });
  checkWorker.addEventListener('message', (event) => {
    const { id, result, error } = event.data;
    const pending = pendingCalls.get(id);
    if (!pending || event.data.stage) {
      return;
    }
    pendingCalls.delete(id);
    if (error !== undefined) {
      pending.reject(new Error(error));
    } else {
      pending.resolve(result);
    }
  });
}

// Calls a checker export in the worker; resolves to its result.
function callChecker(operation, ...args) {
  nextCallId += 1;
  const id = nextCallId;
  return new Promise((resolve, reject) => {
    pendingCalls.set(id, { resolve, reject });
    checkWorker.postMessage({ id, operation, args });
  });
}

// A forwarded certificate header or gateway event loaded through "Files of any kind".
let forwardedInput = null;

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

const FORWARDED_HEADER_LINE = /^[A-Za-z0-9-]+:[ \t]*\S/;

// Names the kind of a loaded file: "csr", "truststore", "chain", "forwarded" or null.
// A bundle of CA certificates only is a truststore; one with a non-CA certificate is a chain.
function detectKind(bytes, text) {
  if (text !== null) {
    const trimmed = text.trim();
    if (/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(trimmed)) {
      return 'csr';
    }
    if (trimmed.startsWith('{') || (!trimmed.startsWith('-----') && FORWARDED_HEADER_LINE.test(trimmed))) {
      return 'forwarded';
    }
  }

  let report;
  try {
    report = checker.inspect(bytes, {});
  } catch {
    return null;
  }
  const certificates = report.items.filter((item) => item.kind === 'certificate' && item.summary);
  if (certificates.length === 0) {
    return report.items.some((item) => item.kind === 'certificate-request') ? 'csr' : null;
  }
  return certificates.every((item) => item.summary.is_ca) ? 'truststore' : 'chain';
}

const KIND_NAMES = {
  truststore: 'truststore',
  chain: 'client chain',
  csr: 'CSR',
  forwarded: 'forwarded certificate',
};

async function loadAnyFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = decodeAsText(bytes);
  const kind = checker === null ? null : detectKind(bytes, text);
  const line = document.createElement('li');
  line.dataset.kind = kind ?? 'unknown';

  if (kind === 'forwarded') {
    forwardedInput = { name: file.name, value: text };
    line.textContent = `${file.name}: forwarded certificate header or gateway event, decoded when you check.`;
  } else if (kind !== null) {
    await loadFile(kind, file);
    line.textContent = `${file.name}: ${KIND_NAMES[kind]}, loaded into the ${KIND_NAMES[kind]} box.`;
  } else {
    line.textContent = `${file.name}: no certificate, CSR or forwarded header found; load it into a box by hand.`;
  }
  element('any-source').append(line);
}

function wireAnyInput() {
  const picker = element('any-file');
  const loadAll = async (files) => {
    for (const file of files) {
      await loadAnyFile(file).catch((error) => reportLoadFailure('any', file, error));
    }
  };
  picker.addEventListener('change', () => {
    loadAll([...(picker.files ?? [])]);
    picker.value = '';
  });

  const zone = picker.closest('.field');
  zone.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) {
      event.preventDefault();
      zone.classList.add('drop-target');
    }
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('drop-target'));
  zone.addEventListener('drop', (event) => {
    zone.classList.remove('drop-target');
    if (event.dataTransfer?.files?.length) {
      event.preventDefault();
      loadAll([...event.dataTransfer.files]);
    }
  });
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
      run: () => callChecker('verifyChain', chain, truststore, readVerifyOptions()),
    });
  } else if (truststore !== null) {
    checks.push({
      title: 'Truststore',
      run: () => callChecker('lintTruststore', truststore, readOptions()),
      fix: () => checker.fixTruststore(truststore, readOptions()),
    });
  } else if (chain !== null) {
    checks.push({
      title: 'Client chain',
      error: 'A client chain is verified against a truststore: add the truststore the gateway uses.',
    });
  }

  if (forwardedInput !== null) {
    const { value } = forwardedInput;
    checks.push({
      title: `Forwarded certificate (${forwardedInput.name})`,
      run: () => callChecker('decodeForwarded', value, truststore === null ? readOptions() : { ...readOptions(), truststore }),
    });
  }

  if (csr !== null) {
    checks.push({
      title: 'Certificate signing request',
      run: () => callChecker('inspectCsr', csr, readOptions()),
    });
  }
  return checks;
}

function downloadText(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Adds a button that rewrites the truststore the way `mtls-check lint --fix` does and downloads it.
function addFixButton(view, fix) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'download-fixed';
  button.textContent = 'Download fixed truststore';
  button.addEventListener('click', () => {
    try {
      downloadText(fix().truststore, 'truststore-fixed.pem', 'application/x-pem-file');
    } catch (error) {
      button.textContent = `Writing the fixed truststore failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  view.querySelector('.download')?.after(button);
}

async function runCheck(check) {
  if (check.error) {
    return renderError(check.title, check.error);
  }
  try {
    const view = renderReport(check.title, await check.run());
    if (check.fix) {
      addFixButton(view, check.fix);
    }
    return view;
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
  // Let the browser paint the busy state before the checks start.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

  const progress = element('check-progress');
  progress.hidden = false;
  const views = [];
  for (const [index, check] of checks.entries()) {
    progress.textContent = `Checking ${index + 1} of ${checks.length}: ${check.title}…`;
    views.push(await runCheck(check));
  }
  progress.hidden = true;
  placeholder.hidden = true;
  reports.replaceChildren(...views);
  runCount += 1;
  reports.dataset.run = String(runCount);
  button.disabled = false;
  setEngineStatus('Done. The reports are below.', 'ready');
}

function clearInputs() {
  forwardedInput = null;
  element('any-source').replaceChildren();
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
  wireAnyInput();
  element('check-form').addEventListener('submit', onSubmit);
  element('clear-button').addEventListener('click', clearInputs);

  startCheckWorker();
  try {
    // Both loads finish before "Ready", so no request follows the page load.
    [checker] = await Promise.all([loadChecker(), callChecker('load')]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    setEngineStatus(`The checker failed to load (${message}). Build it with \`make pkg\` and reload.`, 'error');
    return;
  }
  element('check-button').disabled = false;
  setEngineStatus('Ready.', 'ready');
}

start();
