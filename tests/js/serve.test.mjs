// Tests scripts/serve.mjs, the static server behind `make serve` and the browser test:
// MIME types, no folder listing, no dot-files, and no way out of the served root.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT } from './support.mjs';

const START_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 5_000;

function startServer(root) {
  const server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', '0', '--root', root], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve.mjs printed no URL')), START_TIMEOUT_MS);
    let stdout = '';
    server.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(stdout.split('\n')[0].trim());
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}`));
    });
  });
  return { server, url };
}

// Sends one request with the path exactly as given (no URL normalisation by the client).
function fetchRaw(origin, rawPath, method = 'GET') {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath, method, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${rawPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  let folder;
  let server;
  let pageUrl;
  let origin;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'mtls-check-serve-'));
    const root = path.join(folder, 'root');
    mkdirSync(path.join(root, 'www'), { recursive: true });
    mkdirSync(path.join(root, 'pkg'));
    mkdirSync(path.join(root, '.git'));
    writeFileSync(path.join(root, 'www', 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(root, 'www', 'app.js'), 'export {};');
    writeFileSync(path.join(root, 'www', 'style.css'), 'body {}');
    writeFileSync(path.join(root, 'pkg', 'mtls_check_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(path.join(root, 'pkg', 'package.json'), '{}');
    writeFileSync(path.join(root, '.git', 'config'), 'secret');
    writeFileSync(path.join(folder, 'outside.txt'), 'outside');
    symlinkSync(path.join(folder, 'outside.txt'), path.join(root, 'www', 'link.txt'));

    const started = startServer(root);
    server = started.server;
    pageUrl = await started.url;
    origin = new URL(pageUrl).origin;
  });

  after(() => {
    server?.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  });

  test('binds to 127.0.0.1 and prints the page URL', () => {
    assert.match(pageUrl, /^http:\/\/127\.0\.0\.1:\d+\/www\/$/);
  });

  test('serves the page types', async () => {
    const expected = {
      '/www/': 'text/html; charset=utf-8',
      '/www/app.js': 'text/javascript; charset=utf-8',
      '/www/style.css': 'text/css; charset=utf-8',
      '/pkg/mtls_check_bg.wasm': 'application/wasm',
      '/pkg/package.json': 'application/json',
    };
    for (const [rawPath, type] of Object.entries(expected)) {
      const response = await fetchRaw(origin, rawPath);
      assert.equal(response.status, 200, rawPath);
      assert.equal(response.headers['content-type'], type, rawPath);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', rawPath);
    }
  });

  test('redirects a folder to its slash form', async () => {
    const response = await fetchRaw(origin, '/www');
    assert.equal(response.status, 301);
    assert.equal(response.headers.location, '/www/');
  });

  test('redirects the root to the page', async () => {
    const response = await fetchRaw(origin, '/');
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/www/');
  });

  test('lists no folder', async () => {
    assert.equal((await fetchRaw(origin, '/pkg/')).status, 404);
  });

  test('rejects paths outside the root', async () => {
    for (const rawPath of ['/../outside.txt', '/www/../../outside.txt', '/%2e%2e/outside.txt', '/www/link.txt', '/www/%00']) {
      const response = await fetchRaw(origin, rawPath);
      assert.equal(response.status, 404, rawPath);
      assert.ok(!response.body.includes('outside'), `${rawPath} leaked the file`);
    }
  });

  test('hides dot-files', async () => {
    assert.equal((await fetchRaw(origin, '/.git/config')).status, 404);
  });

  test('allows only GET and HEAD', async () => {
    assert.equal((await fetchRaw(origin, '/www/', 'HEAD')).status, 200);
    assert.equal((await fetchRaw(origin, '/www/', 'POST')).status, 405);
  });
});
