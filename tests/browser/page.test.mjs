// Drives the real page (www/index.html) in Debian's Chromium through playwright-core.
// It checks a good chain (accept) and bad ones (deny, with the finding code), and lints a
// truststore loaded through the file picker. It drops and pastes every input kind
// (truststore, chain, CSR, forwarded headers and events) and corrects a detected kind. It
// opens the certificate detail view and the expiry forecast, and downloads the JSON report,
// SARIF and the fixed truststore, which it lints again. It lints a generated
// 1,000-certificate truststore while measuring how long the tab goes without a frame and
// how many long tasks it runs. It runs a check by keyboard alone, drives the embeddable
// modes (custom element, moved and failing, and postMessage), and renders dark mode.
// Every request is recorded: none may leave 127.0.0.1, and none may follow the page load.
//
// Screenshots of the main states go to target/screenshots/. With MTLS_CHECK_WRITE_BENCH=1
// the large bundle is linted BENCH_RUNS times and the medians replace the "Page" section of
// docs/benchmarks.md.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { generateTruststore } from './bundle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
const SCREENSHOTS = path.join(ROOT, 'target', 'screenshots');
const BENCHMARKS = path.join(ROOT, 'docs', 'benchmarks.md');
const LARGE_BUNDLE_SIZE = 1000;
const CHROMIUM = '/usr/bin/chromium';
const CHECK_TIME = '2030-06-15T12:00:00Z';

const SERVER_START_TIMEOUT_MS = 10_000;
const BROWSER_LAUNCH_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 120_000;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
];

function skipReason() {
  if (existsSync(CHROMIUM)) {
    return null;
  }
  if (process.env.CI) {
    return null; // In CI a missing browser is a failure, reported by the launch below.
  }
  return `${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh) to run the browser test`;
}

function fixtureText(name) {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

// Starts scripts/serve.mjs on a free port and resolves to the page URL it prints.
function startServer() {
  const server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', '0', '--root', ROOT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
  });

  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs printed no URL within ${SERVER_START_TIMEOUT_MS} ms: ${stderr}`)), SERVER_START_TIMEOUT_MS);
    let stdout = '';
    server.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((text) => text.startsWith('http://'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${stderr}`));
    });
  });
  return { server, url };
}

// Clicks Check and waits until the page has replaced the reports of the previous run.
async function clickCheck(page) {
  const reports = page.locator('#reports');
  const previousRun = Number((await reports.getAttribute('data-run')) ?? '0');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.locator(`#reports[data-run="${previousRun + 1}"]`).waitFor({ timeout: PAGE_TIMEOUT_MS });
}

function verdictOf(page, command) {
  return page.locator(`#reports .report[data-command="${command}"] .verdict`).getAttribute('data-verdict');
}

function codesOf(page, command) {
  return page.locator(`#reports .report[data-command="${command}"] .finding .code`).allTextContents();
}

// Saves the whole page, or only the viewport for pages too long to picture whole.
async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

// Saves the results section alone; docs/ keeps two of these.
async function screenshotResults(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('#results').screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

function derBase64(name) {
  return fixtureText(name).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

// URL-encodes PEM the way ALB's X-Amzn-Mtls-Clientcert does: spaces, newlines and '=' escaped.
function albHeader(pem) {
  return `X-Amzn-Mtls-Clientcert: ${pem.replaceAll(' ', '%20').replaceAll('\n', '%0A').replaceAll('=', '%3D')}`;
}

// One forwarded input per format the page must recognise, each carrying the p256 client.
function forwardedInputs() {
  const leafPem = fixtureText('p256-leaf.pem');
  const event = { requestContext: { identity: { clientCert: { clientCertPem: leafPem, subjectDN: 'O=Example,CN=client-001' } } } };
  return [
    { name: 'apigw-event.json', text: JSON.stringify(event, null, 2) },
    { name: 'alb-header.txt', text: albHeader(fixtureText('p256-chain.pem')) },
    { name: 'xfcc.txt', text: `Hash=00;Cert="${encodeURIComponent(leafPem)}"` },
    { name: 'cloudflare-header.txt', text: `Cf-Client-Cert-Der-Base64: ${derBase64('p256-leaf.pem')}\n` },
  ];
}

// Drops files onto an element the way a drag from the file manager does.
async function dropFiles(page, selector, files) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const { name, text } of list) {
      transfer.items.add(new File([text], name, { type: 'text/plain' }));
    }
    return transfer;
  }, files);
  await page.locator(selector).dispatchEvent('dragover', { dataTransfer });
  await page.locator(selector).dispatchEvent('drop', { dataTransfer });
}

// Presses Tab until the element matching `selector` has focus; fails after `limit` presses.
async function tabTo(page, selector, limit = 80) {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) {
      return presses;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached within ${limit} Tab presses`);
}

// Runs of the large-bundle lint under `make bench-page`, which writes their medians;
// `make test` runs it once.
const BENCH_RUNS = 5;

// A main task longer than this is a long task (the Long Tasks API threshold).
const LONG_TASK_MS = 50;

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// Replaces (or appends) the "## Page" section of docs/benchmarks.md with the medians of `runs`.
function writePageBenchmark(runs) {
  const [first] = runs;
  const medianOf = (key) => Math.round(median(runs.map((run) => run[key])));
  const runWord = runs.length === 1 ? 'one run' : `the median of ${runs.length} runs`;
  const phases = runs.every((run) => run.workerMs !== null)
    ? [
        `| click on Check to the report received from the worker (\`mtls-check:report-received\` mark) | ${medianOf('workerMs')} ms |`,
        `| report received to the last table row drawn (\`mtls-check:reports-drawn\` mark) | ${medianOf('drawingMs')} ms |`,
      ]
    : [];
  const section = [
    '## Page',
    '',
    'Measured by `make bench-page` (`MTLS_CHECK_WRITE_BENCH=1 node --test tests/browser/`, the',
    'large-bundle test of `tests/browser/page.test.mjs`): headless Chromium driven by',
    'playwright-core, the page served by `scripts/serve.mjs` on 127.0.0.1.',
    `Each figure is ${runWord} in one test run, on a machine whose two cores the lint in the`,
    'worker, the page and the test runner share. The frame gap shows how long the main thread',
    `went without drawing, and a long task is a main-thread task over ${LONG_TASK_MS} ms as reported`,
    "by Chromium's `PerformanceObserver` ('longtask').",
    'The lint runs in the worker. The page draws the report in slices of a few milliseconds, one',
    'per animation frame, and the browser lays out only the row groups near the viewport.',
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${first.browser}, Node ${process.version}, measured ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `Input: a generated truststore of ${LARGE_BUNDLE_SIZE} distinct self-signed P-256 CA certificates (${first.bytes} bytes), profile apigw-rest, linted in the page's Web Worker.`,
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| click on Check to the last table row shown | ${medianOf('totalMs')} ms |`,
    ...phases,
    `| longest gap between animation frames on the main thread during the check | ${medianOf('longestFrameGapMs')} ms |`,
    `| long tasks (over ${LONG_TASK_MS} ms) on the main thread during the check | ${medianOf('longTasks')} |`,
    `| longest long task | ${medianOf('longestTaskMs')} ms |`,
    `| animation frames during the check | ${medianOf('frames')} |`,
    `| progress stages shown (first run) | ${first.stages} |`,
    '',
  ].join('\n');
  const current = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf('\n## Page\n');
  let next;
  if (start >= 0) {
    const after = current.indexOf('\n## ', start + 1);
    next = `${current.slice(0, start + 1)}${section}${after >= 0 ? current.slice(after) : ''}`;
  } else {
    next = `${current.trimEnd()}\n\n${section}`;
  }
  writeFileSync(BENCHMARKS, next);
}

// Starts a main-thread monitor in the page: the gaps between animation frames, the long
// tasks where Chromium reports them, and every stage message shown.
async function startMonitor(page) {
  await page.evaluate(() => {
    const monitor = { frames: 0, longestGap: 0, last: performance.now(), stages: [], longTasks: [], running: true };
    globalThis.__monitor = monitor;
    const tick = (now) => {
      monitor.longestGap = Math.max(monitor.longestGap, now - monitor.last);
      monitor.last = now;
      monitor.frames += 1;
      if (monitor.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    if (PerformanceObserver.supportedEntryTypes.includes('longtask')) {
      monitor.longTaskObserver = new PerformanceObserver((list) => {
        monitor.longTasks.push(...list.getEntries().map((entry) => entry.duration));
      });
      monitor.longTaskObserver.observe({ type: 'longtask' });
    } else {
      monitor.longTasks = null;
    }
    monitor.stageObserver = new MutationObserver(() => {
      const text = document.querySelector('#check-stage').textContent;
      if (text && monitor.stages.at(-1) !== text) monitor.stages.push(text);
    });
    monitor.stageObserver.observe(document.querySelector('#check-stage'), { childList: true, characterData: true, subtree: true });
  });
}

// Stops the monitor and returns its records, with the page's own phase marks of the last check.
async function stopMonitor(page) {
  return page.evaluate(() => {
    const monitor = globalThis.__monitor;
    monitor.running = false;
    monitor.stageObserver.disconnect();
    if (monitor.longTaskObserver) {
      monitor.longTasks.push(...monitor.longTaskObserver.takeRecords().map((entry) => entry.duration));
      monitor.longTaskObserver.disconnect();
    }
    const markTime = (name) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime ?? null;
    const started = markTime('mtls-check:checks-started');
    const received = markTime('mtls-check:report-received');
    const drawn = markTime('mtls-check:reports-drawn');
    const phasesKnown = started !== null && received !== null && drawn !== null;
    return {
      frames: monitor.frames,
      longestGap: monitor.longestGap,
      stages: monitor.stages,
      longTasks: monitor.longTasks,
      workerMs: phasesKnown ? received - started : null,
      drawingMs: phasesKnown ? drawn - received : null,
    };
  });
}

// Lints the loaded large bundle once, checks what the page shows, and returns the measurement.
async function lintLargeBundle(page, bytes) {
  await startMonitor(page);
  const reports = page.locator('#reports');
  const previousRun = Number((await reports.getAttribute('data-run')) ?? '0');
  const started = Date.now();
  // Found by id, not by role: Playwright resolves a role locator by computing the role, name
  // and visibility of every element in the page. With the previous run's thousand-row tables
  // in the page, that takes seconds of main-thread time which the page itself never spends.
  await page.locator('#check-button').click();
  await page.locator('#check-progress').waitFor({ state: 'visible' });
  assert.match(await page.locator('#check-progress-label').textContent(), /Checking 1 of 1: Truststore/);
  await page.locator(`#reports[data-run="${previousRun + 1}"]`).waitFor({ timeout: PAGE_TIMEOUT_MS * 4 });
  const lint = page.locator('#reports .report[data-command="lint"]');
  await lint.locator('.forecast-table[data-rows-complete="true"]').waitFor();
  await lint.locator('.item-table[data-rows-complete="true"]').waitFor();
  const totalMs = Date.now() - started;
  const monitor = await stopMonitor(page);

  assert.ok(monitor.stages.some((text) => text.includes(`${LARGE_BUNDLE_SIZE} PEM certificate blocks`)), `stages: ${monitor.stages}`);
  assert.ok(monitor.stages.some((text) => text.startsWith('Running lintTruststore')), `stages: ${monitor.stages}`);
  assert.ok(monitor.stages.some((text) => text.startsWith('Building the expiry forecast')), `stages: ${monitor.stages}`);
  assert.ok(monitor.frames > 1, 'the page drew frames during the check');
  assert.equal(await page.locator('#check-progress').isHidden(), true);
  assert.equal(await page.locator('#reports .report[data-command="lint"] .forecast tbody tr').count(), LARGE_BUNDLE_SIZE);

  return {
    bytes,
    totalMs,
    workerMs: monitor.workerMs,
    drawingMs: monitor.drawingMs,
    longestFrameGapMs: Math.round(monitor.longestGap),
    longTasks: monitor.longTasks?.length ?? null,
    longestTaskMs: Math.round(Math.max(0, ...(monitor.longTasks ?? []))),
    frames: monitor.frames,
    stages: monitor.stages.map((text) => `"${text}"`).join(', '),
    browser: await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'),
  };
}

describe('page in Chromium', { skip: skipReason() ?? false, timeout: TEST_TIMEOUT_MS * 15 }, () => {
  let server;
  let pageUrl;
  let origin;
  let profileDir;
  let context;
  let page;
  const requests = [];
  const problems = [];
  // Requests of the main page alone, for the check that nothing follows its load.
  const pageRequests = [];
  let requestsAtLoad = 0;

  before(async () => {
    const started = startServer();
    server = started.server;
    pageUrl = await started.url;
    origin = new URL(pageUrl).origin;

    const { chromium } = await import('playwright-core');
    profileDir = mkdtempSync(path.join(tmpdir(), 'mtls-check-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: BROWSER_LAUNCH_TIMEOUT_MS,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    context.on('request', (request) => requests.push(request.url()));

    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (request) => pageRequests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    await page.goto(pageUrl, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    await page.locator('#engine-status[data-state="ready"]').waitFor({ timeout: PAGE_TIMEOUT_MS });
    requestsAtLoad = pageRequests.length;
  });

  after(async () => {
    await context?.close();
    server?.kill('SIGTERM');
    if (profileDir) {
      rmSync(profileDir, { recursive: true, force: true });
    }
  });

  test('page loads the checker', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.equal(await page.title(), 'mtls-check: check mTLS client chains, truststores and CSRs');
    assert.equal(await page.locator('#check-button').isEnabled(), true);
    assert.match(await page.locator('#privacy-note').textContent(), /sends nothing anywhere/);
  });

  test('good chain is accepted', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByLabel('Truststore', { exact: true }).fill(fixtureText('p256-truststore.pem'));
    await page.getByLabel('Client chain', { exact: true }).fill(fixtureText('p256-chain.pem'));
    await page.getByLabel('Check time').fill(CHECK_TIME);
    await page.getByLabel('Gateway profile').selectOption('apigw-rest');
    await clickCheck(page);

    assert.equal(await verdictOf(page, 'verify'), 'accept');
    assert.match(await page.locator('#reports .report[data-command="verify"] .verdict-word').textContent(), /accept/i);
    assert.deepEqual(await codesOf(page, 'verify'), []);
    const edges = page.locator('#reports .report[data-command="verify"] .path-edge');
    assert.equal(await edges.count(), (await page.locator('#reports .path-node').count()) - 1);
    assert.equal(await page.locator('#reports .path-edge[data-state="failed"]').count(), 0);
  });

  test('certificate detail view opens', { timeout: TEST_TIMEOUT_MS }, async () => {
    const trigger = page.locator('#reports .report[data-command="verify"] .path-certificate').first();
    await trigger.click();
    const dialog = page.locator('#certificate-dialog');
    await page.locator('#certificate-dialog[data-loaded="true"]').waitFor();
    assert.equal(await dialog.evaluate((node) => node.open), true);

    const terms = await dialog.locator('.certificate-fields dt').allTextContents();
    for (const term of ['Subject', 'Issuer', 'Serial (hex)', 'Not before', 'Not after', 'Key', 'Signature algorithm', 'Extended key usage', 'SHA-256 fingerprint']) {
      assert.ok(terms.includes(term), `the detail view lists ${term}`);
    }
    assert.match(await dialog.textContent(), /CN=client-001/);
    assert.ok((await dialog.locator('.extension-table tbody tr').count()) > 0, 'the detail view lists extensions');
    await screenshot(page, 'page-certificate-detail');

    await page.keyboard.press('Escape');
    assert.equal(await dialog.evaluate((node) => node.open), false);
    assert.equal(await trigger.evaluate((node) => node === document.activeElement), true, 'focus returns to the path entry');
  });

  test('item list opens detail view', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.locator('#reports .report[data-command="verify"] .item-details').last().click();
    await page.locator('#certificate-dialog[data-loaded="true"]').waitFor();
    assert.match(await page.locator('#certificate-dialog').textContent(), /Basic constraints\s*CA:TRUE/);
    await page.getByRole('button', { name: 'Close' }).click();
  });

  test('expiry forecast is shown', { timeout: TEST_TIMEOUT_MS }, async () => {
    const forecast = page.locator('#reports .report[data-command="verify"] .forecast');
    assert.match(await forecast.locator('.forecast-summary').textContent(), /This client chain stops working on 20\d\d-\d\d-\d\dT/);
    const rows = forecast.locator('tbody tr');
    assert.equal(await rows.count(), await page.locator('#reports .report[data-command="verify"] .item-table tbody tr').count());
    const notAfters = await rows.evaluateAll((list) => list.map((row) => row.cells[3].textContent));
    assert.deepEqual([...notAfters].sort(), notAfters, 'certificates are listed soonest first');

    // The tables are styled as grids, so their semantics come from ARIA roles.
    const table = forecast.getByRole('table', { name: /^Certificates by notAfter/ });
    assert.equal(await table.count(), 1, 'the forecast is a table named by its caption');
    assert.equal(await table.getByRole('row').count(), (await rows.count()) + 1, 'each forecast row and the header row are rows');
    assert.equal(await table.getByRole('columnheader', { name: 'notAfter' }).count(), 1);
    assert.equal(await table.getByRole('rowheader').count(), await rows.count(), 'each row is headed by its item number');
    await screenshot(page, 'page-accept');
  });

  test('expired leaf is denied', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByLabel('Client chain', { exact: true }).fill(fixtureText('expired-leaf-chain.pem'));
    await clickCheck(page);

    assert.equal(await verdictOf(page, 'verify'), 'deny');
    assert.ok((await codesOf(page, 'verify')).includes('cert.expired'), 'cert.expired is listed');
  });

  test('unknown issuer is denied', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByLabel('Client chain', { exact: true }).fill(fixtureText('unknown-issuer-chain.pem'));
    await clickCheck(page);

    assert.equal(await verdictOf(page, 'verify'), 'deny');
    assert.ok((await codesOf(page, 'verify')).includes('chain.unknown-issuer'), 'chain.unknown-issuer is listed');
    const failed = page.locator('#reports .report[data-command="verify"] .path-edge[data-state="failed"]');
    assert.equal(await failed.count(), 1);
    assert.match(await failed.textContent(), /chain\.unknown-issuer/);
  });

  test('report downloads as SARIF', { timeout: TEST_TIMEOUT_MS }, async () => {
    await screenshot(page, 'page-deny');
    await screenshotResults(page, 'results-deny');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: PAGE_TIMEOUT_MS }),
      page.locator('#reports .report[data-command="verify"] .download-sarif').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'mtls-check-verify.sarif');

    const sarif = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    assert.equal(run.properties.verdict, 'deny');
    const ruleIds = run.results.map((result) => run.tool.driver.rules[result.ruleIndex]?.id);
    assert.ok(ruleIds.includes('chain.unknown-issuer'), `SARIF rules: ${ruleIds.join(', ')}`);
    const uris = run.results.flatMap((result) => result.locations.map((location) => location.physicalLocation.artifactLocation.uri));
    assert.ok(uris.every((uri) => uri.endsWith('(pasted)')), `pasted inputs are named as such: ${uris.join(', ')}`);
  });

  test('truststore file is linted', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByLabel('Client chain', { exact: true }).fill('');
    await page.getByLabel('Truststore file').setInputFiles(path.join(FIXTURES, 'duplicate-truststore.pem'));
    await page.locator('#truststore-source').filter({ hasText: 'duplicate-truststore.pem' }).waitFor();
    await clickCheck(page);

    assert.ok((await codesOf(page, 'lint')).includes('truststore.duplicate'), 'truststore.duplicate is listed');
  });

  test('CSR is checked beside the truststore', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByLabel('Certificate signing request (CSR)').fill(fixtureText('challenge-password.csr'));
    await clickCheck(page);

    assert.equal(await page.locator('#reports .report').count(), 2);
    assert.ok((await codesOf(page, 'csr')).includes('csr.challenge-password'), 'csr.challenge-password is listed');
  });

  test('invalid check time is reported', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByLabel('Check time').fill('not a time');
    await clickCheck(page);

    const error = page.locator('#reports .report-error .error-message').first();
    assert.ok((await error.textContent()).trim().length > 0, 'the error has a message');
    await page.getByLabel('Check time').fill(CHECK_TIME);
  });

  test('report downloads as JSON', { timeout: TEST_TIMEOUT_MS }, async () => {
    await clickCheck(page);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: PAGE_TIMEOUT_MS }),
      page.locator('#reports .report[data-command="lint"] .download').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'mtls-check-lint.json');

    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(report.command, 'lint');
    assert.equal(report.checked_at, CHECK_TIME);
  });

  test('files of any kind are sorted', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    const leafBase64 = fixtureText('p256-leaf.pem').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    await page.getByLabel('Files of any kind').setInputFiles([
      { name: 'request.csr', mimeType: 'text/plain', buffer: Buffer.from(fixtureText('challenge-password.csr')) },
      { name: 'chain.pem', mimeType: 'text/plain', buffer: Buffer.from(fixtureText('p256-chain.pem')) },
      { name: 'headers.txt', mimeType: 'text/plain', buffer: Buffer.from(`Cf-Client-Cert-Der-Base64: ${leafBase64}\n`) },
      { name: 'bundle.pem', mimeType: 'text/plain', buffer: Buffer.from(fixtureText('p256-truststore.pem')) },
    ]);
    const lines = page.locator('#any-source li');
    await lines.nth(3).waitFor();

    const kinds = await lines.evaluateAll((items) => items.map((item) => item.dataset.kind));
    assert.deepEqual(kinds, ['csr', 'chain', 'forwarded', 'truststore']);
    assert.match(await page.locator('#truststore').inputValue(), /BEGIN CERTIFICATE/);
    assert.match(await page.locator('#chain').inputValue(), /BEGIN CERTIFICATE/);

    await clickCheck(page);
    assert.equal(await verdictOf(page, 'verify'), 'accept');
    assert.equal(await verdictOf(page, 'decode'), 'accept');
    assert.ok((await codesOf(page, 'csr')).includes('csr.challenge-password'), 'csr.challenge-password is listed');
  });

  test('dropped inputs of every kind are sorted', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    const files = [
      { name: 'request.csr', text: fixtureText('good.csr') },
      ...forwardedInputs(),
      { name: 'client.pem', text: fixtureText('p256-chain.pem') },
      { name: 'cas.pem', text: fixtureText('p256-truststore.pem') },
    ];
    await dropFiles(page, '.field[data-input="any"]', files);
    const lines = page.locator('#any-source li');
    await lines.nth(files.length - 1).waitFor();

    const kinds = await lines.evaluateAll((items) => items.map((item) => item.dataset.kind));
    assert.deepEqual(kinds, ['csr', 'forwarded', 'forwarded', 'forwarded', 'forwarded', 'chain', 'truststore']);
    assert.match(await lines.nth(0).textContent(), /detected as CSR/);
  });

  test('drop anywhere sorts, box drop does not', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lines = page.locator('#any-source li');
    const before = await lines.count();
    await dropFiles(page, '.page-header', [{ name: 'header-drop.csr', text: fixtureText('no-identity.csr') }]);
    await lines.nth(before).waitFor();
    assert.equal(await lines.nth(before).getAttribute('data-kind'), 'csr');

    await dropFiles(page, '#truststore', [{ name: 'box-drop.pem', text: fixtureText('p256-truststore.pem') }]);
    await page.locator('#truststore-source').filter({ hasText: 'box-drop.pem' }).waitFor();
    assert.equal(await lines.count(), before + 1, 'a file dropped on a box is not sorted again');
  });

  for (const input of forwardedInputs()) {
    test(`forwarded ${input.name} is verified`, { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.locator('#forwarded').fill(input.text);
      await clickCheck(page);
      assert.equal(await verdictOf(page, 'decode'), 'accept');
      assert.equal(await verdictOf(page, 'verify'), 'accept');
    });
  }

  test('detected kind can be corrected', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    await page.getByLabel('Paste anything').fill(fixtureText('p256-root.pem'));
    await page.getByRole('button', { name: 'Sort pasted text' }).click();
    const line = page.locator('#any-source li').first();
    await line.waitFor();
    assert.equal(await line.getAttribute('data-kind'), 'truststore');
    assert.match(await page.locator('#truststore').inputValue(), /BEGIN CERTIFICATE/);

    await line.getByLabel('Kind of pasted text 1').selectOption('chain');
    assert.equal(await line.getAttribute('data-kind'), 'chain');
    assert.equal(await page.locator('#truststore').inputValue(), '');
    assert.match(await page.locator('#chain').inputValue(), /BEGIN CERTIFICATE/);
    assert.match(await page.locator('#input-announcer').textContent(), /moved to the client chain box/);
  });

  test('fixed truststore lints clean', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    await page.getByLabel('Files of any kind').setInputFiles(path.join(FIXTURES, 'duplicate-truststore.pem'));
    await page.locator('#any-source li[data-kind="truststore"]').waitFor();
    await clickCheck(page);
    assert.ok((await codesOf(page, 'lint')).includes('truststore.duplicate'), 'truststore.duplicate is listed');

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: PAGE_TIMEOUT_MS }),
      page.locator('#reports .report[data-command="lint"] .download-fixed').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'truststore-fixed.pem');
    const fixed = readFileSync(await download.path(), 'utf8');
    assert.match(fixed, /BEGIN CERTIFICATE/);

    await page.locator('#truststore').fill(fixed);
    await clickCheck(page);
    assert.ok(!(await codesOf(page, 'lint')).includes('truststore.duplicate'), 'the fixed truststore has no duplicate');
    assert.notEqual(await verdictOf(page, 'lint'), 'fail');
  });

  test('large bundle keeps tab responsive', { timeout: TEST_TIMEOUT_MS * 3 }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    const bundle = generateTruststore(LARGE_BUNDLE_SIZE);
    await page.getByLabel('Truststore file').setInputFiles({ name: 'large.pem', mimeType: 'text/plain', buffer: Buffer.from(bundle) });
    await page.locator('#truststore-source').filter({ hasText: 'large.pem' }).waitFor();

    const writeBench = process.env.MTLS_CHECK_WRITE_BENCH === '1';
    const runs = [];
    for (let run = 0; run < (writeBench ? BENCH_RUNS : 1); run += 1) {
      const measurement = await lintLargeBundle(page, Buffer.byteLength(bundle));
      console.log(`page lint of ${LARGE_BUNDLE_SIZE} certificates, run ${run + 1}: ${JSON.stringify(measurement)}`);
      runs.push(measurement);
    }
    if (writeBench) {
      writePageBenchmark(runs);
    }
    await screenshot(page, 'page-large-bundle', { fullPage: false });
  });

  test('keyboard alone runs a check', { timeout: TEST_TIMEOUT_MS }, async () => {
    const keyboardPage = await context.newPage();
    keyboardPage.on('pageerror', (error) => problems.push(`keyboard page error: ${error.message}`));
    await keyboardPage.goto(pageUrl, { waitUntil: 'load' });
    await keyboardPage.locator('#engine-status[data-state="ready"]').waitFor();

    await tabTo(keyboardPage, '#truststore');
    await keyboardPage.keyboard.insertText(fixtureText('p256-truststore.pem'));
    await tabTo(keyboardPage, '#chain');
    await keyboardPage.keyboard.insertText(fixtureText('expired-leaf-chain.pem'));
    await tabTo(keyboardPage, '#check-time');
    await keyboardPage.keyboard.insertText(CHECK_TIME);
    await tabTo(keyboardPage, '#check-button');
    const outline = await keyboardPage.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused button shows a focus outline');
    await keyboardPage.keyboard.press('Enter');

    await keyboardPage.locator('#reports .report[data-command="verify"]').waitFor();
    assert.equal(await keyboardPage.evaluate(() => document.activeElement?.id), 'results-heading', 'focus moves to the results');
    assert.equal(await verdictOf(keyboardPage, 'verify'), 'deny');

    await tabTo(keyboardPage, '.path-certificate');
    await keyboardPage.keyboard.press('Enter');
    await keyboardPage.locator('#certificate-dialog[data-loaded="true"]').waitFor();
    await keyboardPage.keyboard.press('Escape');
    assert.equal(await keyboardPage.evaluate(() => document.activeElement?.classList.contains('path-certificate')), true);
    await keyboardPage.close();
  });

  test('page has labelled controls and headings', { timeout: TEST_TIMEOUT_MS }, async () => {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((control) => {
          if (control.labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby')) return false;
          return control.tagName !== 'BUTTON' || control.textContent.trim() === '';
        })
        .map((control) => control.id || control.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('#engine-status[role="status"]').count(), 1);
    assert.match(await page.locator('#engine-status').textContent(), /^Done\. .*: (accept|deny|pass|warn|fail), \d+ errors?\./);
    assert.equal(await page.locator('div[onclick], span[onclick], [role="button"]:not(button)').count(), 0);
  });

  test('embedded panel runs a check', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await context.newPage();
    host.on('pageerror', (error) => problems.push(`embed host error: ${error.message}`));
    await host.goto(new URL('embed-example.html', pageUrl).href, { waitUntil: 'load' });
    await host.locator('#portal-status').filter({ hasText: 'ready' }).waitFor();

    await host.getByLabel('Truststore for the panel').fill(fixtureText('p256-truststore.pem'));
    await host.getByLabel('Client chain for the panel').fill(fixtureText('unknown-issuer-chain.pem'));
    await host.getByLabel('Profile').selectOption('alb');
    await host.getByLabel('Check time (RFC 3339, empty for now)').fill(CHECK_TIME);
    await host.getByRole('button', { name: 'Load into the panel and check' }).click();
    await host.locator('#portal-verdicts li').first().waitFor();
    assert.equal(await host.locator('#portal-verdicts li').first().getAttribute('data-verdict'), 'deny');

    const panel = host.frameLocator('mtls-check-panel iframe');
    assert.equal(await panel.locator('#profile').inputValue(), 'alb');
    assert.equal(await panel.locator('.report[data-command="verify"] .verdict').getAttribute('data-verdict'), 'deny');
    assert.equal(await panel.locator('.page-header').isHidden(), true, 'embed mode hides the page header');
    assert.equal(await panel.locator('#privacy-note').isVisible(), true, 'embed mode keeps the privacy line');

    // A check the user starts inside the panel reaches the portal too.
    await panel.locator('#chain').fill(fixtureText('p256-chain.pem'));
    await panel.getByRole('button', { name: 'Check', exact: true }).click();
    await host.locator('#portal-status').filter({ hasText: 'started in the panel' }).waitFor();
    assert.equal(await host.locator('#portal-verdicts li').first().getAttribute('data-verdict'), 'accept');
    await screenshot(host, 'embed-example');
    await host.close();
  });

  test('embedded panel survives a move', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await context.newPage();
    host.on('pageerror', (error) => problems.push(`embed host error: ${error.message}`));
    await host.goto(new URL('embed-example.html', pageUrl).href, { waitUntil: 'load' });
    await host.locator('#portal-status').filter({ hasText: 'ready' }).waitFor();

    const outcome = await host.evaluate(
      async ({ truststore, chain, at }) => {
        const panel = document.getElementById('panel');
        const container = document.createElement('section');
        document.body.append(container);
        container.append(panel);
        await panel.ready;
        await panel.load(truststore, { kind: 'truststore', name: 'bundle.pem' });
        await panel.load(chain, { kind: 'chain', name: 'client.pem' });
        await panel.setOptions({ at });
        const results = await panel.check();
        return {
          parentIsContainer: panel.parentElement === container,
          frames: panel.shadowRoot.querySelectorAll('iframe').length,
          verdicts: results.map((result) => result.report?.verdict ?? result.error),
        };
      },
      { truststore: fixtureText('p256-truststore.pem'), chain: fixtureText('p256-chain.pem'), at: CHECK_TIME },
    );
    assert.equal(outcome.parentIsContainer, true);
    assert.equal(outcome.frames, 1, 'the moved panel has one frame');
    assert.deepEqual(outcome.verdicts, ['accept']);
    await host.close();
  });

  test('panel rejects a bad profile attribute', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await context.newPage();
    await host.goto(new URL('embed-example.html', pageUrl).href, { waitUntil: 'load' });
    const message = await host.evaluate(
      () =>
        new Promise((resolve) => {
          const panel = document.createElement('mtls-check-panel');
          panel.setAttribute('profile', 'no-such-profile');
          panel.addEventListener('mtls-check-error', (event) => resolve(event.detail.message));
          document.body.append(panel);
        }),
    );
    assert.match(message, /unknown profile no-such-profile/);
    await host.close();
  });

  test('panel ready rejects when checker fails', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await context.newPage();
    await host.route('**/www/check-worker.js', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
    await host.goto(new URL('embed-example.html', pageUrl).href, { waitUntil: 'load' });
    const outcome = await host.evaluate(async () => {
      const panel = document.getElementById('panel');
      const ready = await panel.ready.then(() => 'resolved', (error) => error.message);
      const check = await panel.check().then(() => 'resolved', (error) => error.message);
      return { ready, check };
    });
    assert.match(outcome.ready, /failed to load its checker/);
    assert.match(outcome.check, /failed to load its checker/);
    await host.close();
  });

  test('panel ready times out without a page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await context.newPage();
    await host.goto(new URL('embed-example.html', pageUrl).href, { waitUntil: 'load' });
    const outcome = await host.evaluate(async () => {
      const panel = document.createElement('mtls-check-panel');
      panel.setAttribute('src', './no-such-page.html');
      panel.setAttribute('ready-timeout', '1000');
      const event = new Promise((resolve) => {
        panel.addEventListener('mtls-check-error', (error) => resolve(error.detail.message));
      });
      document.body.append(panel);
      const ready = await panel.ready.then(() => 'resolved', (error) => error.message);
      return { ready, event: await event };
    });
    assert.match(outcome.ready, /sent no ready message within 1000 ms/);
    assert.equal(outcome.event, outcome.ready);
    await host.close();
  });

  test('iframe answers postMessage from its parent', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await context.newPage();
    await host.goto(new URL('embed-example.html', pageUrl).href, { waitUntil: 'load' });
    const outcome = await host.evaluate(
      async ({ truststore, chain, at }) => {
        const frame = document.createElement('iframe');
        frame.src = 'index.html?embed=1';
        document.body.append(frame);
        const pageOrigin = location.origin;
        const replies = [];
        const waitFor = (type) =>
          new Promise((resolve) => {
            const listener = (event) => {
              if (event.source !== frame.contentWindow || event.origin !== pageOrigin) return;
              replies.push(event.data.type);
              if (event.data.type === type) {
                window.removeEventListener('message', listener);
                resolve(event.data);
              }
            };
            window.addEventListener('message', listener);
          });
        const ready = await waitFor('mtls-check:ready');
        const post = (message) => frame.contentWindow.postMessage(message, pageOrigin);
        const loaded = waitFor('mtls-check:loaded');
        post({ type: 'mtls-check:load', name: 'bundle.pem', data: new TextEncoder().encode(truststore) });
        const truststoreKind = (await loaded).kind;
        post({ type: 'mtls-check:load', kind: 'chain', name: 'client.pem', data: chain });
        post({ type: 'mtls-check:set-profile', profile: 'apigw-http' });
        post({ type: 'mtls-check:set-options', options: { at } });
        const report = waitFor('mtls-check:report');
        post({ type: 'mtls-check:check', requestId: 'check-1' });
        const { requestId, results } = await report;
        const error = waitFor('mtls-check:error');
        post({ type: 'mtls-check:set-profile', profile: 'no-such-profile' });
        const profileError = (await error).message;
        const usageReply = waitFor('mtls-check:error');
        post({ type: 'mtls-check:set-options', options: { usage: 'no-such-usage' } });
        const usageError = (await usageReply).message;
        const usage = frame.contentDocument.getElementById('usage').value;
        return { profiles: ready.profiles, truststoreKind, requestId, results, error: profileError, usageError, usage, replies };
      },
      { truststore: fixtureText('p256-truststore.pem'), chain: fixtureText('p256-chain.pem'), at: CHECK_TIME },
    );
    assert.ok(outcome.profiles.includes('apigw-http'));
    assert.equal(outcome.truststoreKind, 'truststore');
    assert.equal(outcome.requestId, 'check-1');
    assert.equal(outcome.results.length, 1);
    assert.equal(outcome.results[0].report.verdict, 'accept');
    assert.equal(outcome.results[0].report.profile, 'apigw-http');
    assert.equal(outcome.results[0].report.checked_at, CHECK_TIME);
    assert.equal(outcome.results[0].forecast.stops_working.scope, 'chain');
    assert.match(outcome.error, /unknown profile no-such-profile/);
    assert.match(outcome.usageError, /unknown usage no-such-usage: expected one of client, server/);
    assert.equal(outcome.usage, 'client', 'a rejected usage leaves the menu as it was');
    await host.close();
  });

  test('iframe ignores parents not allowed', { timeout: TEST_TIMEOUT_MS }, async () => {
    // about:blank has an opaque origin ("null"), which is not on the page's allow-list.
    const host = await context.newPage();
    await host.setContent(`<iframe src="${new URL('index.html?embed=1', pageUrl).href}"></iframe>`);
    const frame = host.frames().find((candidate) => candidate !== host.mainFrame());
    await frame.locator('#engine-status[data-state="ready"]').waitFor();

    const received = await host.evaluate(async (truststore) => {
      const messages = [];
      window.addEventListener('message', (event) => messages.push(event.data?.type));
      const target = document.querySelector('iframe').contentWindow;
      target.postMessage({ type: 'mtls-check:load', kind: 'truststore', name: 'bundle.pem', data: truststore }, '*');
      target.postMessage({ type: 'mtls-check:check', requestId: 'not-allowed' }, '*');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return messages;
    }, fixtureText('p256-truststore.pem'));
    assert.deepEqual(received, [], 'the frame replied to a parent that is not allowed');
    assert.equal(await frame.locator('#truststore').inputValue(), '', 'the frame loaded input from a parent that is not allowed');
    await host.close();
  });

  test('dark mode follows the system', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    await page.locator('#truststore').fill(fixtureText('p256-truststore.pem'));
    await page.locator('#chain').fill(fixtureText('expired-leaf-chain.pem'));
    await clickCheck(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const channels = background.match(/\d+/g).slice(0, 3).map(Number);
    assert.ok(channels.every((value) => value < 60), `dark background expected, got ${background}`);
    await screenshot(page, 'page-dark');
    await screenshotResults(page, 'results-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('no request leaves 127.0.0.1', { timeout: TEST_TIMEOUT_MS }, () => {
    assert.ok(requestsAtLoad > 0, 'the page load was recorded');
    for (const url of requests) {
      const allowed = url.startsWith(`${origin}/`) || url.startsWith(`blob:${origin}/`);
      assert.ok(allowed, `request to ${url}`);
    }
  });

  test('no request after load', { timeout: TEST_TIMEOUT_MS }, () => {
    const later = pageRequests.slice(requestsAtLoad).filter((url) => !url.startsWith(`blob:${origin}/`));
    assert.deepEqual(later, [], 'requests made after the page loaded');
  });

  test('no console or page errors', { timeout: TEST_TIMEOUT_MS }, () => {
    assert.deepEqual(problems, []);
  });

  test('CSP in the live page forbids connections and inline script', { timeout: TEST_TIMEOUT_MS }, async () => {
    const policy = await page.evaluate(
      () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    );
    assert.ok(policy !== null, 'the page has no CSP meta element');
    const directives = parsePolicy(policy);
    assert.deepEqual(directives.get('connect-src'), ["'none'"]);
    assert.ok(!directives.get('script-src')?.includes("'unsafe-inline'"));
    assert.ok(!directives.get('script-src')?.includes("'unsafe-eval'"));

    const inline = await page.evaluate(() => [...document.scripts].filter((script) => !script.src).length);
    assert.equal(inline, 0, 'inline <script> elements in the page');
  });

  // Runs last: the blocked attempts log CSP violations to the console. Code run by
  // page.evaluate itself is exempt from the CSP, so each attempt is made by the page:
  // a string timer (eval), an inserted inline script, and fetch().
  test('CSP blocks eval, inline script and fetch at run time', { timeout: TEST_TIMEOUT_MS }, async () => {
    const before = requests.length;
    const outcome = await page.evaluate(async () => {
      globalThis.setTimeout('globalThis.__evalRan = true', 0);
      const script = document.createElement('script');
      script.textContent = 'globalThis.__inlineRan = true';
      document.body.append(script);
      let fetchResult = 'allowed';
      try {
        await fetch(`${location.origin}/www/index.html`);
      } catch {
        fetchResult = 'blocked';
      }
      await new Promise((resolve) => {
        globalThis.setTimeout(resolve, 200);
      });
      return {
        evalRan: globalThis.__evalRan === true,
        inlineRan: globalThis.__inlineRan === true,
        fetchResult,
      };
    });
    assert.deepEqual(outcome, { evalRan: false, inlineRan: false, fetchResult: 'blocked' });
    assert.deepEqual(requests.slice(before), [], 'a blocked fetch still reached the network');
  });
});

// Splits a CSP string into a map of directive name to its sources.
function parsePolicy(policy) {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

// These read the page's files, so they run without Chromium too.
describe('page sources', () => {
  const WWW = path.join(ROOT, 'www');

  test('index.html declares the CSP with connect-src none', () => {
    const html = readFileSync(path.join(WWW, 'index.html'), 'utf8');
    const match = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
    assert.ok(match, 'no CSP meta element in www/index.html');
    const directives = parsePolicy(match[1]);
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('connect-src'), ["'none'"]);
    assert.ok(!directives.get('script-src')?.includes("'unsafe-inline'"));
  });

  test('index.html has no inline script or event handler', () => {
    const html = readFileSync(path.join(WWW, 'index.html'), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
      assert.match(tag, /\bsrc=/, `inline script: ${tag}`);
    }
    assert.doesNotMatch(html, /<script\b[^>]*>[^<\s]/i, 'a script element has inline content');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'an inline event handler attribute');
    assert.doesNotMatch(html, /javascript:/i, 'a javascript: URL');
  });

  test('www scripts use no eval or string-compiled code', () => {
    const scripts = readdirSync(WWW).filter((name) => name.endsWith('.js'));
    assert.ok(scripts.length > 0);
    for (const name of scripts) {
      // Comments may name the APIs they avoid, so they are dropped first.
      const source = readFileSync(path.join(WWW, name), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      assert.doesNotMatch(source, /\beval\s*\(/, `${name} calls eval`);
      assert.doesNotMatch(source, /\bnew\s+Function\s*\(/, `${name} compiles a Function from a string`);
      assert.doesNotMatch(source, /\bset(Timeout|Interval)\s*\(\s*['"`]/, `${name} passes a string to a timer`);
      assert.doesNotMatch(source, /\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon)\b/, `${name} has a network API`);
    }
  });
});
