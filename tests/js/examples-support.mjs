// Shared setup for the example tests: the examples import 'mtls-check' by name,
// so this links examples/node_modules/mtls-check to the built pkg/ directory.

import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';

import { FIXTURES, ROOT } from './support.mjs';

export const EXAMPLES = path.join(ROOT, 'examples');

export function linkPackage() {
  const pkg = path.join(ROOT, 'pkg');
  if (!existsSync(path.join(pkg, 'package.json'))) {
    throw new Error('pkg/package.json is missing: run `make pkg` first');
  }
  const modules = path.join(EXAMPLES, 'node_modules');
  const link = path.join(modules, 'mtls-check');
  mkdirSync(modules, { recursive: true });
  if (!existsSync(link) && !isSymlink(link)) {
    symlinkSync(path.relative(modules, pkg), link, 'dir');
  }
}

function isSymlink(file) {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export function fixtureText(name) {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

// The certificate as RFC 9440 sf-binary: base64 DER between colons.
export function rfc9440(pem) {
  const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `:${base64}:`;
}

export function derBase64(pem) {
  return rfc9440(pem).slice(1, -1);
}

// The finding codes of the rule registry, read from docs/rules.md, which `make docs`
// generates from it and a Rust test keeps current.
export function registeredCodes() {
  const page = readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
  return new Set([...page.matchAll(/^\| `([a-z0-9.-]+)` \|/gm)].map((match) => match[1]));
}
