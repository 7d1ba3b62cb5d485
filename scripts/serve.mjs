#!/usr/bin/env node
// Static file server for the mtls-check page, for local use and the browser tests.
//
// Serves one folder (default: the repository root) on 127.0.0.1 only, with the MIME
// types the page needs (text/html, text/javascript, text/css, application/wasm,
// application/json). It lists no folders, serves no dot-files, and rejects any path
// that resolves outside the root, symbolic links included. `/` redirects to the page,
// /www/, unless the root has an index.html of its own.
//
// Usage: node scripts/serve.mjs [--port N] [--root DIR]
// The port comes from --port, else the PORT environment variable, else 8080.
// Port 0 picks a free port. The first line on stdout is the page URL.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8080;
const PAGE_PATH = '/www/';

const MIME_TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.wasm', 'application/wasm'],
  ['.json', 'application/json'],
  ['.map', 'application/json'],
  ['.ts', 'text/plain; charset=utf-8'],
  ['.md', 'text/plain; charset=utf-8'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.pem', 'text/plain; charset=utf-8'],
  ['.crt', 'text/plain; charset=utf-8'],
  ['.csr', 'text/plain; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
]);

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

function parsePort(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${JSON.stringify(text)}: expected an integer from 0 to 65535`);
  }
  return port;
}

function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      root: { type: 'string' },
    },
  });
  const scriptDir = path.dirname(fileURLToPath(import.meta.url));
  return {
    port: parsePort(values.port ?? process.env.PORT ?? String(DEFAULT_PORT)),
    root: path.resolve(values.root ?? path.join(scriptDir, '..')),
  };
}

function sendText(response, status, text) {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

// Maps a URL path to a file under `root`, or returns null when the path is not servable.
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return null;
  }

  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) {
    return null;
  }

  let candidate = path.join(root, ...segments);
  let info;
  try {
    candidate = await realpath(candidate);
    info = await stat(candidate);
  } catch {
    return null;
  }
  if (candidate !== root && !candidate.startsWith(root + path.sep)) {
    return null;
  }

  if (info.isDirectory()) {
    // A folder is served only through its index.html; there is no listing.
    return resolveFile(root, `${urlPath.replace(/\/?$/, '/')}index.html`);
  }
  return info.isFile() ? { file: candidate, size: info.size } : null;
}

async function handleRequest(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendText(response, 405, 'method not allowed');
    return;
  }

  const url = new URL(request.url ?? '/', `http://${HOST}`);
  const found = await resolveFile(root, url.pathname);

  // Without an index.html in the root, `/` redirects to the page instead of returning 404.
  if (found === null && url.pathname === '/') {
    response.writeHead(302, { ...SECURITY_HEADERS, Location: PAGE_PATH });
    response.end();
    return;
  }
  if (found === null) {
    sendText(response, 404, 'not found');
    return;
  }

  // Relative links in an index page only work when the folder URL ends in a slash.
  const isFolderUrl = path.basename(found.file) === 'index.html' && !url.pathname.endsWith('index.html');
  if (isFolderUrl && !url.pathname.endsWith('/')) {
    response.writeHead(301, { ...SECURITY_HEADERS, Location: `${url.pathname}/` });
    response.end();
    return;
  }

  const type = MIME_TYPES.get(path.extname(found.file).toLowerCase()) ?? 'application/octet-stream';
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': found.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(found.file);
  stream.on('error', (error) => {
    console.error(`serve: failed to read ${found.file}: ${error.message}`);
    response.destroy(error);
  });
  stream.pipe(response);
}

async function main() {
  let options;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`serve: ${error.message}`);
    process.exit(2);
  }
  const root = await realpath(options.root);

  const server = createServer((request, response) => {
    handleRequest(root, request, response).catch((error) => {
      console.error(`serve: ${request.method} ${request.url} failed: ${error.message}`);
      if (!response.headersSent) {
        sendText(response, 500, 'internal error');
      } else {
        response.destroy();
      }
    });
  });

  server.on('error', (error) => {
    console.error(`serve: cannot listen on ${HOST}:${options.port}: ${error.message}`);
    process.exit(1);
  });

  server.listen(options.port, HOST, () => {
    const { port } = server.address();
    console.log(`http://${HOST}:${port}${PAGE_PATH}`);
    console.error(`serve: serving ${root} on ${HOST}:${port}; stop with Ctrl-C`);
  });

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      console.error(`serve: ${signal} received, stopping`);
      server.close();
      server.closeAllConnections();
    });
  }
}

main();
