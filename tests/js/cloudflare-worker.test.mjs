// Runs the Cloudflare Worker example in workerd, the Workers runtime from npm,
// on 127.0.0.1 with the example's own config.capnp, and sends it accepted and
// rejected forwarded certificates. The same module also runs in Node with the
// same bindings, which is the only run when workerd cannot start here.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { EXAMPLES, derBase64, fixtureText, linkPackage, registeredCodes, rfc9440 } from './examples-support.mjs';
import { ROOT } from './support.mjs';

const WORKER_DIR = path.join(EXAMPLES, 'cloudflare-worker');
const STARTUP_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;

// Returns the workerd binary installed by the `workerd` npm package, or the reason it is unusable.
function findWorkerd() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('@cloudflare/workerd-linux-64/package.json'));
  } catch (error) {
    return { reason: `the workerd binary package for this platform is not installed (${error.message}); run \`npm ci\`` };
  }
  const binary = path.join(packageDir, 'bin', 'workerd');
  return existsSync(binary) ? { binary } : { reason: `${binary} does not exist` };
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

// Starts workerd and resolves once it prints that it listens; rejects with its output otherwise.
function startWorkerd(binary, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], {
      cwd: WORKER_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`workerd did not listen within ${STARTUP_TIMEOUT_MS} ms; output: ${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (code ${code}, signal ${signal}) before listening; output: ${output}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const leaf = () => fixtureText('p256-leaf.pem');
const intermediate = () => fixtureText('p256-inter.pem');
const unknownLeaf = () => fixtureText('unknown-issuer-chain.pem').split(/(?<=-----END CERTIFICATE-----)/)[0];

// The requests every runtime must handle the same way: [name, headers, expected status, check].
const CASES = [
  ['Cloudflare header accepted', () => ({ 'Cf-Client-Cert-Der-Base64': derBase64(leaf()) }), 200, (body) => {
    assert.equal(body.origin, 'reached');
    assert.equal(body.identity['x-client-subject'], 'CN=client-001,O=Example');
  }],
  ['RFC 9440 pair accepted', () => ({ 'Client-Cert': rfc9440(leaf()), 'Client-Cert-Chain': rfc9440(intermediate()) }), 200, (body) => {
    assert.equal(body.identity['x-client-serial'], '397ed5e042af7876604df9242a1de10239f0f96c');
  }],
  ['forged identity header replaced', () => ({ 'Cf-Client-Cert-Der-Base64': derBase64(leaf()), 'X-Client-Subject': 'CN=admin' }), 200, (body) => {
    assert.equal(body.identity['x-client-subject'], 'CN=client-001,O=Example');
  }],
  ['unknown issuer rejected', () => ({ 'Cf-Client-Cert-Der-Base64': derBase64(unknownLeaf()) }), 403, (body) => {
    assert.ok(body.reasons.some((reason) => reason.code === 'chain.unknown-issuer'), JSON.stringify(body));
  }],
  ['missing certificate rejected', () => ({}), 403, (body) => {
    assert.equal(body.reasons[0].code, 'input.no-certificate');
    assert.ok(registeredCodes().has(body.reasons[0].code), 'the code is in the rule registry');
  }],
];

describe('cloudflare worker in workerd', () => {
  let child = null;
  let port = 0;
  let skipReason = null;

  before(async () => {
    linkPackage();
    const found = findWorkerd();
    if (!found.binary) {
      skipReason = found.reason;
      return;
    }
    port = await freePort();
    try {
      child = await startWorkerd(found.binary, port);
    } catch (error) {
      skipReason = `workerd could not start: ${error.message}`;
    }
  });

  after(() => {
    if (child) child.kill('SIGTERM');
  });

  for (const [name, headers, status, check] of CASES) {
    test(name, async (t) => {
      if (skipReason) {
        t.skip(`${skipReason}; the Node run below checks the same module`);
        return;
      }
      const response = await fetch(`http://127.0.0.1:${port}/orders`, {
        headers: headers(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      assert.equal(response.status, status);
      check(await response.json());
    });
  }
});

describe('cloudflare worker in node', () => {
  let worker;
  const origin = {
    fetch: async (request) => {
      const identity = {};
      for (const [name, value] of request.headers) {
        if (name.startsWith('x-client-')) identity[name] = value;
      }
      return Response.json({ origin: 'reached', identity });
    },
  };

  before(async () => {
    linkPackage();
    worker = (await import(pathToFileURL(path.join(WORKER_DIR, 'worker.js')).href)).default;
  });

  for (const [name, headers, status, check] of CASES) {
    test(name, async () => {
      const env = { TRUSTSTORE: fixtureText('p256-truststore.pem'), PROFILE: 'cloudflare', ORIGIN: origin };
      const response = await worker.fetch(new Request('http://127.0.0.1/orders', { headers: headers() }), env);
      assert.equal(response.status, status);
      check(await response.json());
    });
  }
});
