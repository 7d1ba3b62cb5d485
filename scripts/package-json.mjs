#!/usr/bin/env node
// Writes pkg/package.json from npm/package.json.in with the crate version
// from Cargo.toml, so the npm package and the crate never disagree.
//
// Usage: node scripts/package-json.mjs TEMPLATE CARGO_TOML OUTPUT

import { readFileSync, writeFileSync } from 'node:fs';

function crateVersion(cargoToml) {
  const section = cargoToml.split(/^\[/m).find((part) => part.startsWith('package]'));
  const match = section && section.match(/^version\s*=\s*"([^"]+)"/m);
  return match ? match[1] : null;
}

function main(argv) {
  if (argv.length !== 3) {
    console.error('usage: node scripts/package-json.mjs TEMPLATE CARGO_TOML OUTPUT');
    return 2;
  }
  const [template, cargoToml, output] = argv;
  const version = crateVersion(readFileSync(cargoToml, 'utf8'));
  if (!version) {
    console.error(`package-json: no version in the [package] section of ${cargoToml}`);
    return 1;
  }
  const text = readFileSync(template, 'utf8').replaceAll('@VERSION@', version);
  JSON.parse(text);
  writeFileSync(output, text);
  console.error(`package-json: wrote ${output} (version ${version})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
