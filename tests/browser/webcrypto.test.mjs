// Runs the WebCrypto exports in Debian's Chromium: on a page served from this
// repository, verifyChainAsync and lintTruststoreAsync must give the reports
// of verifyChain and lintTruststore for every fixture chain and truststore,
// and must call the browser's crypto.subtle.verify.

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
const TEST_TIMEOUT_MS = 120_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'];

function skipReason() {
  if (existsSync(CHROMIUM) || process.env.CI) {
    return null;
  }
  return `${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh) to run the browser test`;
}

// Starts scripts/serve.mjs on a free port; resolves to the URL it prints.
function startServer() {
  const server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', '0', '--root', ROOT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs printed no URL within ${SERVER_START_TIMEOUT_MS} ms`)), SERVER_START_TIMEOUT_MS);
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
      reject(new Error(`serve.mjs exited with ${code}`));
    });
  });
  return { server, url };
}

// Each chain fixture with the truststore of the same prefix, else the P-256 one, as PEM text.
function chainPairs() {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('-chain.pem'))
    .sort()
    .map((chain) => {
      const own = chain.replace(/-chain\.pem$/, '-truststore.pem');
      const truststore = existsSync(path.join(FIXTURES, own)) ? own : 'p256-truststore.pem';
      const text = (name) => readFileSync(path.join(FIXTURES, name), 'utf8');
      return { name: `${chain} against ${truststore}`, chain: text(chain), truststore: text(truststore) };
    });
}

function truststores() {
  return readdirSync(FIXTURES)
    .filter((name) => /truststore.*\.pem$/.test(name))
    .sort()
    .map((name) => ({ name, truststore: readFileSync(path.join(FIXTURES, name), 'utf8') }));
}

// Runs in the page: imports the package, counts crypto.subtle.verify calls
// and lists every input whose async report differs from the synchronous one.
async function compareInPage({ pairs, bundles, at }) {
  const pkg = await import('/pkg/mtls_check.js');
  // The page's CSP forbids fetching the .wasm, so the module comes from its base64 copy.
  const { WASM_BASE64 } = await import('/pkg/mtls_check_wasm_bytes.js');
  await pkg.default({ module_or_path: Uint8Array.from(atob(WASM_BASE64), (character) => character.charCodeAt(0)) });
  const subtle = globalThis.crypto.subtle;
  const verify = subtle.verify;
  let verifyCalls = 0;
  subtle.verify = function (...args) {
    verifyCalls += 1;
    return verify.apply(this, args);
  };
  const differing = [];
  let compared = 0;
  for (const profile of ['apigw-rest', 'rfc5280']) {
    const options = { profile, at };
    for (const pair of pairs) {
      const sync = JSON.stringify(pkg.verifyChain(pair.chain, pair.truststore, options));
      const asynchronous = JSON.stringify(await pkg.verifyChainAsync(pair.chain, pair.truststore, options));
      compared += 1;
      if (sync !== asynchronous) differing.push(`${pair.name} under ${profile}`);
    }
    for (const bundle of bundles) {
      const sync = JSON.stringify(pkg.lintTruststore(bundle.truststore, options));
      const asynchronous = JSON.stringify(await pkg.lintTruststoreAsync(bundle.truststore, options));
      compared += 1;
      if (sync !== asynchronous) differing.push(`${bundle.name} under ${profile}`);
    }
  }
  return { differing, verifyCalls, compared };
}

describe('WebCrypto exports in Chromium', { skip: skipReason() ?? false }, () => {
  let server;
  let pageUrl;
  let profileDir;
  let context;

  before(async () => {
    const started = startServer();
    server = started.server;
    pageUrl = await started.url;
    const { chromium } = await import('playwright-core');
    profileDir = mkdtempSync(path.join(tmpdir(), 'mtls-check-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: BROWSER_LAUNCH_TIMEOUT_MS,
    });
  });

  after(async () => {
    await context?.close();
    server?.kill('SIGTERM');
    if (profileDir) {
      rmSync(profileDir, { recursive: true, force: true });
    }
  });

  test('reports equal the synchronous ones', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pageUrl, { waitUntil: 'load' });
    const result = await page.evaluate(compareInPage, { pairs: chainPairs(), bundles: truststores(), at: CHECK_TIME });
    assert.deepEqual(result.differing, [], `async and sync reports differ in Chromium:\n${result.differing.join('\n')}`);
    assert.ok(result.compared >= 2 * (chainPairs().length + truststores().length), `only ${result.compared} inputs compared`);
    assert.ok(result.verifyCalls > 0, 'crypto.subtle.verify was never called');
  });
});
