// Drives the real page (www/index.html) in Debian's Chromium through playwright-core.
// It checks a good chain (accept) and bad ones (deny, with the finding code), lints a
// truststore loaded through the file picker, sorts files of any kind into their boxes, and
// downloads the JSON report and the fixed truststore, which it lints again. Every request
// the page makes is recorded: none may leave 127.0.0.1, and none may follow the page load.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
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

describe('page in Chromium', { skip: skipReason() ?? false, timeout: TEST_TIMEOUT_MS * 5 }, () => {
  let server;
  let pageUrl;
  let origin;
  let profileDir;
  let context;
  let page;
  const requests = [];
  const problems = [];
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
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    await page.goto(pageUrl, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    await page.locator('#engine-status[data-state="ready"]').waitFor({ timeout: PAGE_TIMEOUT_MS });
    requestsAtLoad = requests.length;
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

  test('large bundle keeps tab responsive', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.getByRole('button', { name: 'Clear inputs' }).click();
    // 1,000 copies of one root: every block parses, and the lint has 999 duplicates to report.
    const bundle = fixtureText('p256-root.pem').trim().concat('\n').repeat(1000);
    await page.getByLabel('Truststore file').setInputFiles({ name: 'large.pem', mimeType: 'text/plain', buffer: Buffer.from(bundle) });
    await page.locator('#truststore-source').filter({ hasText: 'large.pem' }).waitFor();

    const reports = page.locator('#reports');
    const previousRun = Number((await reports.getAttribute('data-run')) ?? '0');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    // The main thread evaluates this while the worker lints, because the check runs off it.
    // NOTE: this assumes the lint of 1,000 certificates outlasts two round trips to the page
    // (about 2.5 s in wasm against well under 0.1 s here); a much faster checker would make it racy.
    const progressText = await page.locator('#check-progress').textContent();
    const answeredBeforeReport = await page.evaluate(() => document.querySelector('#reports').dataset.run);
    assert.equal(Number(answeredBeforeReport ?? '0'), previousRun, 'the page answered before the lint finished');
    assert.match(progressText, /Checking 1 of 1: Truststore/);

    await page.locator(`#reports[data-run="${previousRun + 1}"]`).waitFor({ timeout: PAGE_TIMEOUT_MS });
    assert.equal(await page.locator('#check-progress').isHidden(), true);
    assert.ok((await codesOf(page, 'lint')).includes('truststore.duplicate'), 'truststore.duplicate is listed');
  });

  test('no request leaves 127.0.0.1', { timeout: TEST_TIMEOUT_MS }, () => {
    assert.ok(requestsAtLoad > 0, 'the page load was recorded');
    for (const url of requests) {
      const allowed = url.startsWith(`${origin}/`) || url.startsWith(`blob:${origin}/`);
      assert.ok(allowed, `request to ${url}`);
    }
  });

  test('no request after load', { timeout: TEST_TIMEOUT_MS }, () => {
    const later = requests.slice(requestsAtLoad).filter((url) => !url.startsWith(`blob:${origin}/`));
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
