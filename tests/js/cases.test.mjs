// Runs every real-world case folder under tests/data/cases/ through the wasm package and
// the native CLI. Each report must meet the folder's case.json, and the two must be equal.
//
// case.json names the command, profile, usage, pinned check time and input files, and
// expects a verdict, codes that must appear, codes that must not, an exit code and
// optionally the number of report items. MTLS_CHECK_CASES_DIR overrides the folder.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { ROOT, findingCodes, loadPackage, readBytes, runCli, withoutTool } from './support.mjs';

const CASES_DIR = path.resolve(process.env.MTLS_CHECK_CASES_DIR ?? path.join(ROOT, 'tests', 'data', 'cases'));

function listCases() {
  if (!existsSync(CASES_DIR)) {
    return null;
  }
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(CASES_DIR, entry.name, 'case.json')))
    .map((entry) => entry.name)
    .sort();
}

function readManifest(name) {
  const folder = path.join(CASES_DIR, name);
  const manifest = JSON.parse(readFileSync(path.join(folder, 'case.json'), 'utf8'));
  return { folder, manifest };
}

function crlFiles(manifest) {
  return manifest.inputs.crls ?? [];
}

// The wasm call a manifest describes, with inputs passed as the files' exact bytes.
function runWasm(pkg, folder, manifest) {
  const input = (name) => readBytes(path.join(folder, manifest.inputs[name]));
  const options = { profile: manifest.profile, at: manifest.at };
  const crls = crlFiles(manifest).map((file) => readBytes(path.join(folder, file)));

  switch (manifest.command) {
    case 'verify':
      return pkg.verifyChain(input('chain'), input('truststore'), {
        ...options,
        usage: manifest.usage ?? 'client',
        ...(crls.length > 0 ? { crls } : {}),
      });
    case 'lint':
      return pkg.lintTruststore(input('truststore'), options);
    case 'csr':
      return pkg.inspectCsr(input('csr'), options);
    default:
      throw new Error(`case.json has unknown command ${JSON.stringify(manifest.command)}`);
  }
}

// The CLI arguments a manifest describes, with file names relative to the case folder.
function cliArguments(manifest) {
  const common = ['--profile', manifest.profile, '--at', manifest.at];
  switch (manifest.command) {
    case 'verify':
      return [
        'verify',
        manifest.inputs.chain,
        '--truststore',
        manifest.inputs.truststore,
        ...crlFiles(manifest).flatMap((file) => ['--crl', file]),
        '--usage',
        manifest.usage ?? 'client',
        ...common,
      ];
    case 'lint':
      return ['lint', manifest.inputs.truststore, ...common];
    case 'csr':
      return ['csr', manifest.inputs.csr, ...common];
    default:
      throw new Error(`case.json has unknown command ${JSON.stringify(manifest.command)}`);
  }
}

function assertExpectations(report, expect, where) {
  const codes = findingCodes(report);
  assert.equal(report.verdict, expect.verdict, `${where}: verdict (findings: ${codes.join(', ') || 'none'})`);
  for (const code of expect.codes ?? []) {
    assert.ok(codes.includes(code), `${where}: expected finding ${code}, got ${codes.join(', ') || 'none'}`);
  }
  for (const code of expect.absent_codes ?? []) {
    assert.ok(!codes.includes(code), `${where}: finding ${code} must be absent, got ${codes.join(', ')}`);
  }
  if (expect.items !== undefined) {
    assert.equal(report.items.length, expect.items, `${where}: number of items`);
  }
}

const cases = listCases();

if (cases === null && process.env.CI) {
  test('case folder present', () => {
    assert.fail(`${path.relative(ROOT, CASES_DIR)} is missing; the cases are part of the test suite`);
  });
} else if (cases === null) {
  test('case folder present', { skip: `${path.relative(ROOT, CASES_DIR)} is missing` }, () => {});
} else {
  describe('real-world cases', () => {
    test('at least one case', () => {
      assert.ok(cases.length > 0, `no case.json under ${CASES_DIR}`);
    });

    for (const name of cases) {
      test(name, async () => {
        const pkg = await loadPackage();
        const { folder, manifest } = readManifest(name);

        const wasmReport = runWasm(pkg, folder, manifest);
        assertExpectations(wasmReport, manifest.expect, 'wasm');

        const cli = runCli(cliArguments(manifest), { cwd: folder });
        assert.equal(cli.status, manifest.expect.exit_code, `CLI exit code (stderr: ${cli.stderr.trim()})`);
        assertExpectations(cli.report, manifest.expect, 'CLI');

        assert.deepEqual(withoutTool(wasmReport), withoutTool(cli.report), 'wasm and CLI reports differ');
      });
    }
  });
}
