// The x509-limbo differential: every testcase's inputs and options, with the
// native report that the Rust harness (tests/limbo.rs) wrote, run again
// through the wasm build; the two reports must be equal, `tool` aside.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { ROOT, loadPackage, withoutTool } from './support.mjs';

const NATIVE = path.join(ROOT, 'target', 'conformance', 'limbo-reports.json');

// Keeps only the options the caller set, as the Rust harness passes them.
function jsOptions(options) {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== null));
}

describe('x509-limbo: wasm reports equal the native ones', () => {
  if (!existsSync(NATIVE)) {
    test('native reports present', () => {
      assert.fail(`${path.relative(ROOT, NATIVE)} is missing: run \`cargo test --test limbo\` first`);
    });
    return;
  }
  const suites = JSON.parse(readFileSync(NATIVE, 'utf8'));

  for (const suite of suites) {
    test(`${suite.suite}: ${suite.cases.length} cases`, async () => {
      const { verifyChain } = await loadPackage();
      assert.ok(suite.cases.length > 0, 'no cases recorded');
      const differing = [];
      for (const entry of suite.cases) {
        const wasmReport = verifyChain(entry.chain, entry.truststore, jsOptions(entry.options));
        try {
          assert.deepEqual(withoutTool(wasmReport), withoutTool(entry.report));
        } catch (error) {
          differing.push(`${entry.id}: ${error.message.split('\n').slice(0, 12).join('\n')}`);
        }
      }
      assert.deepEqual(differing, [], `wasm and native reports differ:\n${differing.join('\n\n')}`);
    });
  }
});
