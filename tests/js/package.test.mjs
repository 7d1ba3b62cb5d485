// Packs pkg/ with `npm pack`, installs the tarball into a scratch project
// offline, and checks that the package loads in Node without a bundler, that
// the README's Node example runs as written, and that its types compile.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES, ROOT } from './support.mjs';

const PKG = path.join(ROOT, 'pkg');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const COMMAND_TIMEOUT_MS = 120_000;

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

// Returns the first ```js block after the given README heading.
function readmeExample(heading) {
  const readme = readFileSync(path.join(PKG, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${heading}`);
  assert.ok(start >= 0, `pkg/README.md has no "## ${heading}" section`);
  const match = readme.slice(start).match(/```js\n([\s\S]*?)```/);
  assert.ok(match, `the "${heading}" section of pkg/README.md has no js example`);
  return match[1];
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
    'const names = ["verifyChain", "lintTruststore", "inspectCsr", "inspect", "decodeForwarded", "fixTruststore", "authorize", "profiles", "profileDetails"];',
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
  const verdict = result.stdout.split('\n')[0];
  assert.ok(['accept', 'deny'].includes(verdict), `first output line is not a verdict: ${result.stdout}`);
});

test('package types compile under tsc', (t) => {
  if (!existsSync(TSC)) {
    t.skip('typescript is not installed in node_modules: run `npm ci`');
    return;
  }
  const source = `
import { verifyChain, lintTruststore, fixTruststore, authorize, profileDetails } from 'mtls-check';
import type { Report, Finding, Verdict, FixedTruststore, AuthorizerResponse, Policy } from 'mtls-check';

const report: Report = verifyChain('chain', new Uint8Array(0), { profile: 'alb', at: '2030-01-01T00:00:00Z' });
const verdict: Verdict = report.verdict;
const codes: string[] = report.findings.map((finding: Finding) => finding.code);
const lint: Report = lintTruststore('bundle', undefined);
const fixed: FixedTruststore = fixTruststore('bundle', {});
const policy: Policy = { truststore: 'pem', allowedIssuers: [] };
const response: AuthorizerResponse = authorize({}, policy, {});
const firstLimit: string | undefined = profileDetails()[0]?.limits[0]?.citation;
console.log(verdict, codes, lint.items.length, fixed.truststore, response, firstLimit);
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
