// The mtls-check page: reads the inputs, runs the checks in a Web Worker and shows the reports.
//
// The wasm module comes from ../pkg/, built by `make pkg`, and runs only in check-worker.js,
// so even a bundle of thousands of certificates leaves the tab responsive. The page's CSP
// forbids fetch(), so the worker imports the module bytes as a base64 string
// (pkg/mtls_check_wasm_bytes.js). Nothing typed or loaded here leaves the tab.
//
// With ?embed=1 the page runs inside an iframe of an internal portal and also takes its
// inputs and commands through postMessage (embed-frame.js, documented in docs/embedding.md).

import { showCertificate } from './cert-detail.js';
import { startChecker } from './checker-client.js';
import { reportCheckerFailure, startEmbedMode } from './embed-frame.js';
import { renderError, renderReport, whenReportsDrawn } from './report-view.js';

const INPUT_NAMES = ['truststore', 'chain', 'csr', 'forwarded'];

const KIND_NAMES = {
  truststore: 'truststore',
  chain: 'client chain',
  csr: 'CSR',
  forwarded: 'forwarded certificate header or event',
};

// Per input box: the bytes of the file loaded into it, kept so that CRLF line endings,
// a byte order mark or DER are checked exactly as in the file. Editing the box drops them.
const loadedFiles = new Map(INPUT_NAMES.map((name) => [name, null]));

// Inputs sorted through "Files of any kind" or "Paste anything", each with its detected
// kind, which the user may correct: {id, name, bytes, text, kind, line}.
const sortedInputs = [];

let checker = null;
let runCount = 0;
let latestResults = [];

// The elapsed-time ticker: it runs on the main thread during a check, so a frozen tab
// would show a frozen number.
let progressTimer = null;

function element(id) {
  return document.getElementById(id);
}

function setEngineStatus(text, state) {
  const status = element('engine-status');
  status.textContent = text;
  status.dataset.state = state;
}

// Text shown in a box for loaded bytes, or null when they are binary (DER).
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

function putIntoBox(name, fileName, bytes) {
  const text = decodeAsText(bytes);
  element(name).value = text ?? `[binary file ${fileName}: ${bytes.length} bytes]`;
  loadedFiles.set(name, { name: fileName, bytes, isText: text !== null });
  describeSource(name);
}

function emptyBox(name) {
  element(name).value = '';
  loadedFiles.set(name, null);
  describeSource(name);
}

async function loadFile(name, file) {
  putIntoBox(name, file.name, new Uint8Array(await file.arrayBuffer()));
}

function reportLoadFailure(name, file, error) {
  element(`${name}-source`).textContent = `Could not read ${file.name}: ${error.message}`;
}

// A header line ("Name: value"), an XFCC element ("Hash=...;Cert=..."), a URL-encoded PEM
// (ALB's X-Amzn-Mtls-Clientcert value) or a JSON event is a forwarded certificate.
const FORWARDED_HEADER_LINE = /^[A-Za-z0-9-]+:[ \t]*\S/;
const XFCC_ELEMENT = /^(By|Hash|Cert|Chain|Subject|URI|DNS)=/i;
const URL_ENCODED_PEM = /^-----BEGIN%20/;

function detectForwarded(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || URL_ENCODED_PEM.test(trimmed) || XFCC_ELEMENT.test(trimmed)) {
    return true;
  }
  return !trimmed.startsWith('-----') && FORWARDED_HEADER_LINE.test(trimmed);
}

// Names the kind of an input: "truststore", "chain", "csr", "forwarded" or null.
async function detectKind(bytes, text) {
  if (text !== null) {
    if (/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text)) {
      return 'csr';
    }
    if (detectForwarded(text)) {
      return 'forwarded';
    }
  }
  return checker.call('detectKind', [bytes]);
}

function kindSelect(entry) {
  const select = document.createElement('select');
  select.className = 'kind-select';
  select.setAttribute('aria-label', `Kind of ${entry.name}`);
  for (const [value, label] of Object.entries(KIND_NAMES)) {
    const option = new Option(label, value);
    option.selected = value === entry.kind;
    select.append(option);
  }
  if (entry.kind === null) {
    const unknown = new Option('unknown: choose a kind', '', true, true);
    unknown.disabled = true;
    select.prepend(unknown);
  }
  select.addEventListener('change', () => changeKind(entry, select.value));
  return select;
}

function describeEntry(entry) {
  if (entry.kind === null) {
    return `${entry.name}: no certificate, CSR or forwarded header found. Choose its kind to use it anyway.`;
  }
  return `${entry.name}: detected as ${KIND_NAMES[entry.kind]}, loaded into the ${KIND_NAMES[entry.kind]} box.`;
}

function renderEntry(entry) {
  entry.line.dataset.kind = entry.kind ?? 'unknown';
  const text = document.createElement('span');
  text.className = 'entry-text';
  text.textContent = describeEntry(entry);
  entry.line.replaceChildren(text, ' ', kindSelect(entry));
}

// Moves an input to the box for the kind the user chose, emptying the box it left
// when that box still contains it.
function changeKind(entry, kind) {
  if (entry.kind !== null && loadedFiles.get(entry.kind)?.entryId === entry.id) {
    emptyBox(entry.kind);
  }
  entry.kind = kind;
  putIntoBox(kind, entry.name, entry.bytes);
  loadedFiles.get(kind).entryId = entry.id;
  renderEntry(entry);
  announce(`${entry.name} moved to the ${KIND_NAMES[kind]} box.`);
}

function announce(text) {
  element('input-announcer').textContent = text;
}

// Detects the kind of an input, loads it into that box and lists it; returns the kind.
async function sortInput(name, bytes, forcedKind = null) {
  const text = decodeAsText(bytes);
  const kind = forcedKind ?? (await detectKind(bytes, text));
  const entry = { id: sortedInputs.length + 1, name, bytes, kind, line: document.createElement('li') };
  sortedInputs.push(entry);

  if (kind !== null) {
    putIntoBox(kind, name, bytes);
    loadedFiles.get(kind).entryId = entry.id;
  }
  renderEntry(entry);
  element('any-source').append(entry.line);
  return kind;
}

function wireAnyInput() {
  const picker = element('any-file');
  const loadAll = async (files) => {
    for (const file of files) {
      try {
        await sortInput(file.name, new Uint8Array(await file.arrayBuffer()));
      } catch (error) {
        reportLoadFailure('any', file, error);
      }
    }
  };
  picker.addEventListener('change', () => {
    loadAll([...(picker.files ?? [])]);
    picker.value = '';
  });

  // Files dropped anywhere but on an input box are sorted by kind. A box's own drop
  // handler runs first and calls preventDefault, so its file is not sorted twice.
  const zone = picker.closest('.field');
  document.addEventListener('dragover', (event) => {
    if (!event.defaultPrevented && event.dataTransfer?.types.includes('Files')) {
      event.preventDefault();
      zone.classList.add('drop-target');
    }
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) zone.classList.remove('drop-target');
  });
  document.addEventListener('drop', (event) => {
    zone.classList.remove('drop-target');
    if (!event.defaultPrevented && event.dataTransfer?.files?.length) {
      event.preventDefault();
      loadAll([...event.dataTransfer.files]);
    }
  });

  let pasteCount = 0;
  element('any-paste-button').addEventListener('click', async () => {
    const area = element('any-paste');
    if (area.value.trim() === '') {
      announce('Nothing to sort: paste a certificate, bundle, CSR or forwarded header first.');
      return;
    }
    pasteCount += 1;
    const kind = await sortInput(`pasted text ${pasteCount}`, new TextEncoder().encode(area.value));
    area.value = '';
    announce(kind === null ? 'The pasted text was not recognised; choose its kind in the list.' : `Pasted text sorted as ${KIND_NAMES[kind]}.`);
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

// The checks the current inputs call for, in display order. `inputs` maps an item
// origin's source ("chain", "truststore", ...) to the bytes the detail view inspects.
function plannedChecks() {
  const truststore = inputValue('truststore');
  const chain = inputValue('chain');
  const csr = inputValue('csr');
  const forwarded = inputValue('forwarded');
  const checks = [];

  if (chain !== null && truststore !== null) {
    checks.push({
      title: 'Client chain against the truststore',
      operation: 'verifyChain',
      args: [chain, truststore, readVerifyOptions()],
      inputs: { chain, truststore },
      files: { chain: fileName('chain'), truststore: fileName('truststore') },
    });
  } else if (truststore !== null) {
    checks.push({
      title: 'Truststore',
      operation: 'lintTruststore',
      args: [truststore, readOptions()],
      inputs: { truststore },
      files: { truststore: fileName('truststore') },
      fix: () => checker.call('fixTruststore', [truststore, readOptions()]),
    });
  } else if (chain !== null) {
    checks.push({
      title: 'Client chain',
      error: 'A client chain is verified against a truststore: add the truststore the gateway uses.',
    });
  }

  if (forwarded !== null) {
    const options = truststore === null ? readVerifyOptions() : { ...readVerifyOptions(), truststore };
    checks.push({
      title: `Forwarded certificate (${fileName('forwarded')})`,
      operation: 'decodeForwarded',
      args: [forwarded, options],
      inputs: { truststore },
      files: { truststore: fileName('truststore') },
    });
  }

  if (csr !== null) {
    checks.push({
      title: 'Certificate signing request',
      operation: 'inspectCsr',
      args: [csr, readOptions()],
      inputs: {},
      files: { csr: fileName('csr') },
    });
  }
  return checks;
}

function fileName(name) {
  return loadedFiles.get(name)?.name ?? `${name} (pasted)`;
}

export function downloadText(text, filename, type) {
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

function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}

// Adds a button that rewrites the truststore the way `mtls-check lint --fix` does and downloads it.
function fixButton(fix) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'download-fixed';
  button.textContent = 'Download fixed truststore';
  button.addEventListener('click', async () => {
    try {
      const fixed = await fix();
      downloadText(fixed.truststore, 'truststore-fixed.pem', 'application/x-pem-file');
    } catch (error) {
      button.textContent = `Writing the fixed truststore failed: ${errorText(error)}`;
    }
  });
  return button;
}

function sarifButton(report, files) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'download-sarif';
  button.textContent = 'Download SARIF';
  button.addEventListener('click', async () => {
    try {
      const sarif = await checker.call('toSarif', [report, files]);
      downloadText(`${sarif}\n`, `mtls-check-${report.command}.sarif`, 'application/sarif+json');
    } catch (error) {
      button.textContent = `Writing SARIF failed: ${errorText(error)}`;
    }
  });
  return button;
}

// Opens the detail view of report.items[index], inspecting the input it came from.
function certificateOpener(check, report) {
  return (index, trigger) => {
    const item = report.items?.[index];
    const input = check.inputs[item?.origin?.source] ?? null;
    const fingerprint = item?.summary?.sha256_fingerprint;
    const describe = input === null || !fingerprint ? Promise.resolve(null) : checker.call('describeCertificate', [input, fingerprint]);
    showCertificate(item, index, describe, trigger);
  };
}

function showStage(message) {
  element('check-stage').textContent = message;
}

async function runCheck(check, position, total) {
  if (check.error) {
    return { title: check.title, error: check.error, view: renderError(check.title, check.error) };
  }
  element('check-progress-label').textContent = `Checking ${position} of ${total}: ${check.title}…`;
  try {
    const { report, forecast } = await checker.call('checkWithForecast', [check.operation, ...check.args], (_stage, message) =>
      showStage(`${message}…`),
    );
    performance.mark('mtls-check:report-received');
    showStage('Rendering the report…');
    const actions = [sarifButton(report, check.files)];
    if (check.fix) {
      actions.push(fixButton(check.fix));
    }
    const view = renderReport(check.title, report, {
      forecast,
      actions,
      onShowCertificate: certificateOpener(check, report),
    });
    return { title: check.title, report, forecast, view };
  } catch (error) {
    return { title: check.title, error: errorText(error), view: renderError(check.title, errorText(error)) };
  }
}

// One sentence per check for the status line, which screen readers announce: the
// results section itself is not a live region, because a large report would be read whole.
function describeVerdicts(results) {
  return results
    .map((result) => {
      if (result.error !== undefined) {
        return `${result.title}: could not run.`;
      }
      const errors = result.report.findings.filter((finding) => finding.severity === 'error').length;
      return `${result.title}: ${result.report.verdict}, ${errors} ${errors === 1 ? 'error' : 'errors'}.`;
    })
    .join(' ');
}

function startProgress() {
  const started = performance.now();
  element('check-progress').hidden = false;
  showDrawingProgress(0, 0);
  const elapsed = element('check-elapsed');
  elapsed.textContent = '0.0 s';
  progressTimer = setInterval(() => {
    elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  }, 100);
}

// Fills the progress bar with the share of the reports' long lists drawn. With `total` 0
// it shows activity without an amount, as during the checks themselves.
function showDrawingProgress(drawn, total) {
  const bar = element('check-progress').querySelector('progress');
  if (total === 0) {
    bar.removeAttribute('value');
  } else {
    bar.max = total;
    bar.value = drawn;
  }
}

function stopProgress() {
  clearInterval(progressTimer);
  progressTimer = null;
  element('check-progress').hidden = true;
  showStage('');
}

// Runs every planned check and shows the reports; resolves to the results
// ({title, report, forecast} or {title, error}) for the embedding API once every
// report is drawn. Long reports appear at once and fill in over the next frames.
export async function runChecks() {
  if (checker === null) {
    throw new Error('the checker is still loading');
  }
  const checks = plannedChecks();
  const reports = element('reports');
  const placeholder = element('results-placeholder');
  if (checks.length === 0) {
    reports.replaceChildren();
    runCount += 1;
    reports.dataset.run = String(runCount);
    placeholder.hidden = false;
    placeholder.textContent = 'Nothing to check: give a truststore, a client chain with its truststore, a forwarded header, or a CSR.';
    latestResults = [];
    return latestResults;
  }

  const button = element('check-button');
  button.disabled = true;
  setEngineStatus('Checking…', 'busy');
  startProgress();
  performance.mark('mtls-check:checks-started');

  const results = [];
  for (const [index, check] of checks.entries()) {
    results.push(await runCheck(check, index + 1, checks.length));
  }
  placeholder.hidden = true;
  reports.replaceChildren(...results.map((result) => result.view));
  element('results-heading').focus();
  await whenReportsDrawn(showDrawingProgress);
  performance.mark('mtls-check:reports-drawn');

  stopProgress();
  runCount += 1;
  reports.dataset.run = String(runCount);
  button.disabled = false;
  setEngineStatus(`Done. ${describeVerdicts(results)} The reports are below.`, 'ready');

  latestResults = results.map(({ view, ...result }) => result);
  document.dispatchEvent(new CustomEvent('mtls-check:results', { detail: latestResults }));
  return latestResults;
}

async function onSubmit(event) {
  event.preventDefault();
  if (checker !== null) {
    await runChecks();
  }
}

function clearInputs() {
  sortedInputs.length = 0;
  element('any-source').replaceChildren();
  for (const name of INPUT_NAMES) {
    emptyBox(name);
  }
}

// Loads an input given by the embedding portal: into the box for `kind`, or
// detected like a dropped file when `kind` is null. Resolves to the kind used.
async function loadInput(kind, name, data) {
  let bytes;
  if (typeof data === 'string') {
    bytes = new TextEncoder().encode(data);
  } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    bytes = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  } else {
    throw new Error('data must be a string, an ArrayBuffer or a Uint8Array');
  }
  if (kind !== null && !(kind in KIND_NAMES)) {
    throw new Error(`unknown kind ${kind}: expected one of ${Object.keys(KIND_NAMES).join(', ')}`);
  }
  return sortInput(name, bytes, kind);
}

function setProfile(profile) {
  const select = element('profile');
  if (![...select.options].some((option) => option.value === profile)) {
    throw new Error(`unknown profile ${profile}: expected one of ${[...select.options].map((option) => option.value).join(', ')}`);
  }
  select.value = profile;
}

// Sets the options an embedding portal gave. It checks every field before setting any,
// so a rejected request changes nothing.
function setOptions({ at, usage, peerName }) {
  const usages = [...element('usage').options].map((option) => option.value);
  if (usage !== undefined && !usages.includes(usage)) {
    throw new Error(`unknown usage ${usage}: expected one of ${usages.join(', ')}`);
  }
  if (at !== undefined) element('check-time').value = at ?? '';
  if (usage !== undefined) element('usage').value = usage;
  if (peerName !== undefined) element('peer-name').value = peerName ?? '';
}

async function start() {
  for (const name of INPUT_NAMES) {
    wireInput(name);
  }
  wireAnyInput();
  element('check-form').addEventListener('submit', onSubmit);
  element('clear-button').addEventListener('click', clearInputs);

  const embedded = new URLSearchParams(location.search).get('embed') === '1';
  if (embedded) {
    document.documentElement.classList.add('embedded');
  }

  const client = startChecker();
  let profiles;
  try {
    // The module loads before "Ready", so no request follows the page load.
    await client.call('load');
    profiles = await client.call('profiles');
  } catch (error) {
    setEngineStatus(`The checker failed to load (${errorText(error)}). Build it with \`make pkg\` and reload.`, 'error');
    if (embedded) {
      reportCheckerFailure(errorText(error));
    }
    return;
  }
  checker = client;
  element('check-button').disabled = false;
  setEngineStatus('Ready.', 'ready');

  if (embedded) {
    startEmbedMode({ loadInput, setProfile, setOptions, clear: clearInputs, runChecks, profiles });
  }
}

start();
