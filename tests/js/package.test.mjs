// Packs pkg/ with `npm pack`, installs the tarball into a scratch project
// offline, and runs every example of pkg/README.md there as written, so the
// README cannot drift: Node, Deno (the `deno` npm package), Cloudflare Workers
// (workerd), a browser page without a bundler and an esbuild bundle (both in
// Debian's Chromium). It also checks that the types compile and declare every
// export. A runtime that is missing skips its test with the reason.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES, ROOT } from './support.mjs';

const PKG = path.join(ROOT, 'pkg');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const DENO = path.join(ROOT, 'node_modules', '.bin', 'deno');
const ESBUILD = path.join(ROOT, 'node_modules', 'esbuild');
const CHROMIUM = '/usr/bin/chromium';
const COMMAND_TIMEOUT_MS = 120_000;
const STARTUP_TIMEOUT_MS = 20_000;
const PAGE_TIMEOUT_MS = 30_000;

let scratch;

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  if (result.error) {
    throw new Error(`${command} ${args.join(' ')} failed to run: ${result.error.message}`);
  }
  return result;
}

function assertSucceeded(result, what) {
  assert.equal(result.status, 0, `${what} exited ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

// Returns the text of the README section under `## heading`, up to the next `## `.
function readmeSection(heading) {
  const readme = readFileSync(path.join(PKG, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `pkg/README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

// Returns the code blocks of one language in a README section, in order.
function readmeBlocks(heading, language) {
  const blocks = [...readmeSection(heading).matchAll(/```(\w+)\n([\s\S]*?)```/g)]
    .filter(([, lang]) => lang === language)
    .map(([, , code]) => code);
  assert.ok(blocks.length > 0, `the "${heading}" section of pkg/README.md has no ${language} example`);
  return blocks;
}

function readmeExample(heading, language = 'js') {
  return readmeBlocks(heading, language)[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts a child process and resolves once its output contains `ready`.
function startProcess(command, args, options, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${path.basename(command)} was not ready within ${STARTUP_TIMEOUT_MS} ms; output: ${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(command)} exited (code ${code}, signal ${signal}); output: ${output}`));
    });
  });
}

function findWorkerd() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  try {
    const binary = path.join(path.dirname(require.resolve('@cloudflare/workerd-linux-64/package.json')), 'bin', 'workerd');
    return existsSync(binary) ? { binary } : { reason: `${binary} does not exist` };
  } catch (error) {
    return { reason: `the workerd binary package for this platform is not installed (${error.message}); run \`npm ci\`` };
  }
}

// Serves the scratch project with scripts/serve.mjs and opens Chromium; returns both.
async function openBrowser() {
  const { chromium } = await import('playwright-core');
  const port = await freePort();
  const server = await startProcess(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', String(port), '--root', scratch], {}, 'http://');
  const profile = mkdtempSync(path.join(tmpdir(), 'mtls-check-package-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const close = async () => {
    await context.close();
    server.child.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, base: `http://127.0.0.1:${port}`, close };
}

// Repeats `act` until `result` shows. The examples add their listeners only after the
// module's top-level await has compiled the wasm, which the page's load event does not
// wait for, so an early file choice or click can find no listener yet.
async function retryUntilShown(act, result, attempts = 10) {
  for (let attempt = 1; ; attempt += 1) {
    await act();
    try {
      await result.waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

function browserSkipReason() {
  if (!existsSync(CHROMIUM)) {
    return `${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh)`;
  }
  if (!existsSync(path.join(ROOT, 'node_modules', 'playwright-core'))) {
    return 'playwright-core is not installed in node_modules: run `npm ci`';
  }
  return null;
}

before(() => {
  assert.ok(existsSync(path.join(PKG, 'package.json')), 'pkg/package.json is missing: run `make pkg` first');
  scratch = mkdtempSync(path.join(tmpdir(), 'mtls-check-package-'));

  const packed = run('npm', ['pack', '--json', '--pack-destination', scratch, PKG], ROOT);
  assertSucceeded(packed, 'npm pack');
  const [{ filename }] = JSON.parse(packed.stdout);

  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(scratch, filename)], scratch);
  assertSucceeded(installed, 'npm install of the packed tarball');
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('package manifest matches the crate', () => {
  const manifest = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  const cargoVersion = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(manifest.name, 'mtls-check');
  assert.equal(manifest.version, cargoVersion);
  assert.equal(manifest.type, 'module');
  for (const condition of ['types', 'workerd', 'node', 'deno', 'browser', 'default']) {
    assert.ok(manifest.exports['.'][condition], `exports["."] lacks the ${condition} condition`);
  }
});

test('installed package imports in plain Node', () => {
  const script = [
    "const m = await import('mtls-check');",
    'const names = ["verifyChain", "lintTruststore", "inspectCsr", "inspect", "decodeForwarded", "fixTruststore", "authorize", "profiles", "profileDetails", "toSarif", "expiryForecast"];',
    'console.log(JSON.stringify({ missing: names.filter((n) => typeof m[n] !== "function"), profiles: m.profiles() }));',
  ].join('\n');
  const result = run(process.execPath, ['--input-type=module', '-e', script], scratch);
  assertSucceeded(result, 'node import of mtls-check');
  const output = JSON.parse(result.stdout);
  assert.deepEqual(output.missing, []);
  assert.ok(output.profiles.includes('apigw-rest'));
});

test('README Node example runs as written', () => {
  copyFileSync(path.join(FIXTURES, 'p256-chain.pem'), path.join(scratch, 'chain.pem'));
  copyFileSync(path.join(FIXTURES, 'p256-truststore.pem'), path.join(scratch, 'truststore.pem'));
  writeFileSync(path.join(scratch, 'example.mjs'), readmeExample('Node.js 20 and later'));

  const result = run(process.execPath, ['example.mjs'], scratch);
  assertSucceeded(result, 'the README Node example');
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines[0], 'accept');
  assert.match(lines.at(-1), /^the chain stops working on \d{4}-\d\d-\d\dT.*, in \d+ days$/);

  const sarif = JSON.parse(readFileSync(path.join(scratch, 'report.sarif'), 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].properties.verdict, 'accept');
});

test('README wasm-bytes example initialises', () => {
  writeFileSync(path.join(scratch, 'csp-example.mjs'), readmeExample('Manual initialisation'));
  const script = [
    "import { readFileSync } from 'node:fs';",
    "import { lintTruststore } from 'mtls-check';",
    "import { lintVerdict } from './csp-example.mjs';",
    `const bundle = readFileSync(${JSON.stringify(path.join(FIXTURES, 'p256-truststore.pem'))}, 'utf8');`,
    "console.log(JSON.stringify({ bytes: lintVerdict(bundle), fetched: lintTruststore(bundle, { profile: 'alb' }).verdict }));",
  ].join('\n');
  const result = run(process.execPath, ['--input-type=module', '-e', script], scratch);
  assertSucceeded(result, 'the README wasm-bytes example');
  const { bytes, fetched } = JSON.parse(result.stdout);
  assert.equal(bytes, 'pass', 'the fixture truststore lints clean');
  assert.equal(bytes, fetched, 'the bytes module and the default entry disagree');
});

test('README Deno example runs in Deno', (t) => {
  if (!existsSync(DENO)) {
    t.skip('the deno npm package is not installed in node_modules: run `npm ci`');
    return;
  }
  copyFileSync(path.join(FIXTURES, 'good.csr'), path.join(scratch, 'request.csr'));
  writeFileSync(path.join(scratch, 'deno-example.js'), readmeExample('Deno'));

  // `npm:mtls-check` resolves to the installed tarball in node_modules, because the
  // scratch folder has a package.json; DENO_DIR keeps Deno's cache in the scratch folder.
  const result = spawnSync(DENO, ['run', '--allow-read', 'deno-example.js'], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
    env: { ...process.env, DENO_DIR: path.join(scratch, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  });
  assertSucceeded(result, 'the README Deno example');
  assert.equal(result.stdout.trim(), 'pass 0');
});

test('README Workers example runs in workerd', async (t) => {
  const workerd = findWorkerd();
  if (workerd.reason) {
    t.skip(workerd.reason);
    return;
  }
  const dir = path.join(scratch, 'worker');
  // capnp embeds paths relative to config.capnp.
  const installed = '../node_modules/mtls-check';
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'worker.js'), readmeExample('Cloudflare Workers'));
  copyFileSync(path.join(FIXTURES, 'p256-truststore.pem'), path.join(dir, 'truststore.pem'));
  // The modules the README names: workers.js as `mtls-check`, the bindings and the wasm.
  writeFileSync(
    path.join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  compatibilityDate = "2025-01-01",
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "truststore.pem", text = embed "truststore.pem"),
    (name = "mtls-check", esModule = embed "${installed}/workers.js"),
    (name = "mtls_check.js", esModule = embed "${installed}/mtls_check.js"),
    (name = "mtls_check_bg.wasm", wasm = embed "${installed}/mtls_check_bg.wasm"),
  ],
);
`,
  );

  const port = await freePort();
  const server = await startProcess(workerd.binary, ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], { cwd: dir }, 'Listening on');
  try {
    const leaf = readFileSync(path.join(FIXTURES, 'p256-leaf.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const accepted = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'Cf-Client-Cert-Der-Base64': leaf } });
    assert.equal(accepted.status, 200);
    assert.equal(await accepted.text(), 'hello CN=client-001,O=Example\n');

    const rejected = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(rejected.status, 403);
    assert.match(await rejected.text(), /^client certificate rejected: /);
  } finally {
    server.child.kill('SIGTERM');
  }
});

test('README browser example runs in Chromium', async (t) => {
  const reason = browserSkipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  writeFileSync(path.join(scratch, 'browser.html'), `<!doctype html><title>example</title>\n${readmeExample('Browser, without a bundler', 'html')}`);
  const browser = await openBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${browser.base}/browser.html`);
    await retryUntilShown(
      () => page.locator('#bundle').setInputFiles(path.join(FIXTURES, 'p256-truststore.pem')),
      page.locator('#verdict').filter({ hasText: /^(pass|warn)$/ }),
    );
  } finally {
    await browser.close();
  }
});

test('README bundler example builds and runs', async (t) => {
  const reason = browserSkipReason() ?? (existsSync(ESBUILD) ? null : 'esbuild is not installed in node_modules: run `npm ci`');
  if (reason) {
    t.skip(reason);
    return;
  }
  // Stands in for `npm install --save-dev esbuild` in the scratch project, which has no network.
  const modules = path.join(scratch, 'node_modules');
  for (const name of ['esbuild', '@esbuild']) {
    if (!existsSync(path.join(modules, name))) symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name), 'dir');
  }
  mkdirSync(path.join(modules, '.bin'), { recursive: true });
  if (!existsSync(path.join(modules, '.bin', 'esbuild'))) symlinkSync(path.join(modules, 'esbuild', 'bin', 'esbuild'), path.join(modules, '.bin', 'esbuild'));

  const heading = 'Bundlers';
  writeFileSync(path.join(scratch, 'app.js'), readmeExample(heading, 'js'));
  writeFileSync(path.join(scratch, 'index.html'), `<!doctype html><title>bundled</title>\n${readmeExample(heading, 'html')}`);
  const build = run('bash', ['-e', '-c', readmeExample(heading, 'sh')], scratch);
  assertSucceeded(build, 'the README bundler build');
  assert.ok(existsSync(path.join(scratch, 'dist', 'app.js')), 'esbuild wrote dist/app.js');

  const browser = await openBrowser();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${browser.base}/index.html`);
    await page.getByLabel('Truststore').fill(readFileSync(path.join(FIXTURES, 'p256-truststore.pem'), 'utf8'));
    await retryUntilShown(
      () => page.getByRole('button', { name: 'Lint' }).click(),
      page.locator('#result').filter({ hasText: /^(pass|warn); clients rejected from \d{4}-/ }),
    );
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('types declare every export', () => {
  const declarations = readFileSync(path.join(PKG, 'mtls_check.d.ts'), 'utf8');
  const declared = new Set([...declarations.matchAll(/^export function (\w+)/gm)].map(([, name]) => name));
  const script = "const m = await import('mtls-check'); console.log(JSON.stringify(Object.keys(m).filter((n) => typeof m[n] === 'function' && n !== 'default' && !n.startsWith('init'))));";
  const result = run(process.execPath, ['--input-type=module', '-e', script], scratch);
  assertSucceeded(result, 'node import of mtls-check');
  const exported = JSON.parse(result.stdout);
  assert.ok(exported.length >= 11, `exports: ${exported}`);
  for (const name of exported) {
    assert.ok(declared.has(name), `${name} has no declaration in mtls_check.d.ts`);
  }
  for (const type of ['Report', 'Finding', 'Item', 'CertificateSummary', 'PathFacts', 'Forecast', 'ExpiryForecast', 'StopsWorking', 'ExpiringCertificate']) {
    assert.match(declarations, new RegExp(`export (interface|type) ${type}\\b`), `no generated type ${type}`);
  }
});

test('package types compile under tsc', (t) => {
  if (!existsSync(TSC)) {
    t.skip('typescript is not installed in node_modules: run `npm ci`');
    return;
  }
  const source = `
import { verifyChain, lintTruststore, fixTruststore, authorize, profileDetails, expiryForecast, toSarif } from 'mtls-check';
import type { Report, Finding, Verdict, FixedTruststore, AuthorizerResponse, Policy, ExpiryForecast } from 'mtls-check';

const report: Report = verifyChain('chain', new Uint8Array(0), { profile: 'alb', at: '2030-01-01T00:00:00Z' });
const verdict: Verdict = report.verdict;
const codes: string[] = report.findings.map((finding: Finding) => finding.code);
const lint: Report = lintTruststore('bundle', undefined);
const fixed: FixedTruststore = fixTruststore('bundle', {});
const policy: Policy = { truststore: 'pem', allowedIssuers: [] };
const response: AuthorizerResponse = authorize({}, policy, {});
const firstLimit: string | undefined = profileDetails()[0]?.limits[0]?.citation;
const forecast: ExpiryForecast = expiryForecast(report);
const end: string | undefined = forecast.stops_working?.at;
const days: number[] = forecast.certificates.map((certificate) => certificate.days_left);
const sarif: string = toSarif(report, { chain: 'chain.pem' });
console.log(verdict, codes, lint.items.length, fixed.truststore, response, firstLimit, end, days, sarif);
`;
  writeFileSync(path.join(scratch, 'check.ts'), source);
  writeFileSync(
    path.join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false },
      files: ['check.ts'],
    }),
  );
  const result = run(process.execPath, [TSC, '-p', 'tsconfig.json'], scratch);
  assertSucceeded(result, 'tsc --noEmit on the installed package');
});
