// What every end-to-end test file shares: dist/ served and Chromium launched around the file's
// tests, pages opened with their console errors and uncaught exceptions collected, and the
// screenshot folder.
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, serveDist, launchChromium } from './site.mjs';

/** Where screenshots go. */
export const SHOTS = join(ROOT, 'target', 'e2e');

/**
 * Registers the hooks that serve dist/ and launch Chromium before the calling file's tests and
 * stop both after them. Returns `open(query, readyTestId)`, which opens the page at `query`,
 * waits for the element `readyTestId`, and gives `{ page, problems }` (every console error, page
 * error, Content-Security-Policy refusal and request to another origin seen, for the test to
 * assert empty).
 */
export function useSite() {
  let server;
  let baseUrl;
  let browser;
  before(async () => {
    ({ server, baseUrl } = await serveDist());
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return {
    async open(query, readyTestId) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      // The site is static and self-contained: a request to any other origin is a problem.
      const origin = new URL(baseUrl).origin;
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) {
          problems.push(`request beyond the site's origin: ${r.method()} ${r.url()}`);
        }
      });
      // Whatever the Content-Security-Policy refuses is a problem too (named, not only logged).
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP refused ${e.blockedURI || 'inline'} (${e.effectiveDirective})`);
        });
      });
      await page.goto(baseUrl + query);
      await page.getByTestId(readyTestId).waitFor();
      return { page, problems };
    },
  };
}
