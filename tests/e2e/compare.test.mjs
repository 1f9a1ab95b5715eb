// End-to-end walk over the Compare view and the shareable address in headless Chromium: Kata 86's
// options A and B side by side with deltas, SLO verdicts and overlaid CDFs; another pair of
// presets; an edited document carried in the address and copied with the "Copy link" button,
// then reopened from that link in a fresh page with the same figures; damaged and hostile
// addresses named in the banner without breaking the page. Any console error fails the test.
// Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();

const text = (page, id) => page.getByTestId(id).innerText();

/** Waits until both options have run and their figures are on the page. */
async function settled(page) {
  await page.getByTestId('cmp-figures').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid^="cmp-status-"]'));
}

test('Kata 86 options A and B side by side, then two other presets', async () => {
  const { page, problems } = await site.open('?view=compare', 'cmp-controls');
  await settled(page);
  assert.match(await text(page, 'cmp-figures'), /sg-us-wallet \(A\) against sg-us-multi-leader \(B\), seed 1/);
  // Multi-leader writes stay home: B's write p95 is lower, and the row says so.
  const write = await page.getByTestId('cmp-row-write-p95').locator('td').allInnerTexts();
  assert.equal(write[3], 'B', write.join(' | '));
  assert.match(write[2], /^−/);
  assert.equal(await page.getByTestId('cmp-slos-a').locator('tbody tr').count() > 0, true);
  for (const m of ['read', 'write', 'staleness']) {
    const chart = page.getByTestId(`cmp-cdf-${m}`);
    assert.match(await chart.getAttribute('aria-label'), /A p95 [\d.]+ m?s, B p95 [\d.]+ m?s/);
    assert.ok(await chart.locator('svg polyline').count() >= 2, m);
  }
  assert.equal(await page.locator('[data-testid="cmp-map-b"] [data-testid^="wregion-"]').count(), 2);
  assert.match(page.url(), /\?v=1&view=compare&a=sg-us-wallet&b=sg-us-multi-leader&seed=1&duration=60$/);
  await page.screenshot({ path: join(SHOTS, 'compare-kata86.png'), fullPage: true });

  await page.getByTestId('cmp-preset-a').selectOption('quorum-r1w1');
  await page.getByTestId('cmp-preset-b').selectOption('quorum-r2w2');
  await page.waitForFunction(() => document.querySelector('[data-testid="cmp-figures"] caption')?.innerText.startsWith('quorum-r1w1 (A) against quorum-r2w2 (B)'));
  await settled(page);
  assert.match(page.url(), /a=quorum-r1w1&b=quorum-r2w2/);
  assert.deepEqual(problems, []);
});

test('an edited option travels in the copied link and reopens with the same figures', async () => {
  const { page, problems } = await site.open('?view=compare&seed=7&duration=20', 'cmp-controls');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await settled(page);
  await page.getByTestId('cmp-side-b').locator('summary').click();
  const editor = page.getByTestId('cmp-editor-b');
  const doc = await editor.inputValue();
  await editor.fill(doc.replace('name = "sg-us-multi-leader"', 'name = "b-edited"'));
  await page.waitForFunction(() => document.querySelector('[data-testid="cmp-figures"] caption')?.innerText.includes('b-edited'));
  await settled(page);
  assert.match(page.url(), /seed=7&duration=20&db=[A-Za-z0-9_-]{200,}$/);
  await page.getByTestId('copy-link').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-link-status"]')?.innerText.includes('copied'));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url());
  const figures = await text(page, 'cmp-figures');

  const again = await site.open(new URL(link).search, 'cmp-controls');
  await settled(again.page);
  assert.equal(await text(again.page, 'cmp-figures'), figures);
  assert.match(await again.page.getByTestId('cmp-editor-b').inputValue(), /name = "b-edited"/);
  assert.deepEqual([...problems, ...again.problems], []);
});

test('damaged, newer and hostile addresses are named and the page still works', async () => {
  const cases = [
    ['?view=compare&db=AAAA', /'db': the packed document is damaged or cut short/],
    ['?view=compare&a=%3Cscript%3Ealert(1)%3C%2Fscript%3E', /'a': unknown preset '<script>alert\(1\)<\/script>'/],
    ['?v=9&view=compare&a=quorum-r1w1', /format v9, newer than this page reads \(v1\)/],
    ['?v=x&view=scenario&doc=%E2%82', /'v': unknown address format 'x'[\s\S]*'doc': not a packed document/],
    ['?view=compare&seed=1e400&duration=-0', /'seed': seed '1e400'[\s\S]*'duration': duration '-0'/],
  ];
  for (const [query, message] of cases) {
    const { page, problems } = await site.open(query, 'url-error');
    assert.match(await text(page, 'url-error'), message, query);
    // The page still runs with defaults.
    await page.getByTestId('nav-compare').waitFor();
    assert.deepEqual(problems, [], query);
    await page.close();
  }
});
