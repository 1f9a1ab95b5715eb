// The built site (dist/) served on a free loopback port, and Debian's headless Chromium driven by
// playwright-core: shared by the end-to-end test and the browser benchmark script.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../tools/node_modules/playwright-core/index.mjs';

/** The repository's root directory. */
export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const DIST = join(ROOT, 'dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serves dist/ on a free loopback port; resolves to { server, baseUrl }. */
export function serveDist() {
  return new Promise((resolveServer) => {
    const server = createServer(async (req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
      if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    server.listen(0, '127.0.0.1', () =>
      resolveServer({ server, baseUrl: `http://127.0.0.1:${server.address().port}/` }));
  });
}

/** Launches headless Chromium (the distribution's build, as installed by scripts/setup.sh). */
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
