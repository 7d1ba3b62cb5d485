// Shared helpers for the Node tests: load the wasm package from pkg/, run the native CLI,
// and put reports from both into a comparable form.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'target', 'release', 'mtls-check');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');

// Check time pinned for every fixture: the fixtures are valid around it.
export const FIXTURE_AT = '2030-06-15T12:00:00Z';

const PKG_JS = path.join(ROOT, 'pkg', 'mtls_check.js');
const PKG_WASM = path.join(ROOT, 'pkg', 'mtls_check_bg.wasm');

// Time limit for one CLI run; the case manifests allow 20 s.
const CLI_TIMEOUT_MS = 20_000;

let loadedPackage = null;

// Imports pkg/mtls_check.js and instantiates its wasm module once per process.
export async function loadPackage() {
  if (loadedPackage !== null) {
    return loadedPackage;
  }
  if (!existsSync(PKG_JS) || !existsSync(PKG_WASM)) {
    throw new Error(`${path.relative(ROOT, PKG_JS)} or its .wasm is missing: run \`make pkg\` first`);
  }
  const bindings = await import(pathToFileURL(PKG_JS).href);
  bindings.initSync({ module: readFileSync(PKG_WASM) });
  loadedPackage = bindings;
  return bindings;
}

// Runs `mtls-check ARGS... --format json` and returns its exit code and parsed report.
export function runCli(args, { cwd = ROOT } = {}) {
  if (!existsSync(CLI)) {
    throw new Error(`${path.relative(ROOT, CLI)} is missing: run \`make build\` first`);
  }
  const result = spawnSync(CLI, [...args, '--format', 'json'], {
    cwd,
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    throw new Error(`mtls-check ${args.join(' ')} failed to run: ${result.error.message}`);
  }

  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(
      `mtls-check ${args.join(' ')} (exit ${result.status}) printed no JSON report: ${error.message}\n` +
        `stdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`,
    );
  }
  return { status: result.status, report, stderr: result.stderr };
}

// A report without its `tool` field, which is the only part allowed to differ between builds.
export function withoutTool(report) {
  const { tool, ...rest } = report;
  return rest;
}

export function readBytes(file) {
  return new Uint8Array(readFileSync(file));
}

export function findingCodes(report) {
  return (report.findings ?? []).map((finding) => finding.code);
}
