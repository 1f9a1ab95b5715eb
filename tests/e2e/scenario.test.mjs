// End-to-end walk over the Scenario view of the built site (dist/) in headless Chromium: pick a
// preset, run it, see its regions and charts; break the document and see the error naming the
// field and line while the last results stay; reload from the address and get the same figures;
// bad address parameters are named. Any console error fails the test. Screenshots go to
// target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, useSite } from '../support/e2e.mjs';
import { ROOT } from '../support/site.mjs';

const site = useSite();

async function openScenario(query) {
  return site.open(query, 'sc-read-p95');
}

const text = (page, id) => page.getByTestId(id).innerText();

/** The figures a reader compares: headline tiles, SLO table and per-region table. */
async function figures(page) {
  const out = {};
  for (const id of ['sc-read-p95', 'sc-write-p95', 'sc-staleness-p95', 'sc-staleness-p99', 'sc-slos', 'sc-regions', 'sc-tallies']) {
    out[id] = await text(page, id);
  }
  return out;
}

test('pick aws8, run it, see eight regions and the charts; reload from the address', async () => {
  const { page, problems } = await openScenario('?view=scenario');
  await page.getByTestId('preset').selectOption('aws8-single-leader');
  await page.waitForFunction(() => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes('aws8-single-leader'));
  assert.match(page.url(), /view=scenario&preset=aws8-single-leader&seed=1&duration=30/);
  assert.equal(await page.locator('[data-testid="sc-regions"] tbody tr').count(), 8);
  // The world map: eight regions, labels clear of each other, figures on keyboard focus.
  assert.equal(await page.locator('[data-testid="world-map"] [data-testid^="wregion-"]').count(), 8);
  const boxes = await page.locator('[data-testid="world-map"] text').evaluateAll((els) =>
    els.map((e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, e.textContent]; }));
  assert.ok(boxes.length >= 14, `${boxes.length} labels`);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const overlap = a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5;
      assert.ok(!overlap, `${a[4]} overlaps ${b[4]}`);
    }
  }
  await page.getByTestId('wregion-eu-west-1').focus();
  assert.match(await text(page, 'map-focus'), /eu-west-1 · Ireland[\s\S]*read p95 [\d.]+ ms · staleness p95/);
  await page.getByTestId('world-map-figure').screenshot({ path: join(SHOTS, 'scenario-aws8-map.png') });
  for (const m of ['read', 'write', 'staleness']) {
    assert.ok(await page.locator(`[data-testid="hist-${m}"] svg rect`).count() > 2, m);
    assert.equal(await page.locator(`[data-testid="cdf-${m}"] svg polyline`).count() >= 1, true, m);
  }
  // The charts for one home region.
  await page.getByTestId('chart-scope').selectOption({ label: 'homed in eu-west-1 (Ireland)' });
  await page.waitForFunction(() => document.querySelector('[data-testid="hist-read"]').innerText.includes('eu-west-1'));
  await page.screenshot({ path: join(SHOTS, 'scenario-aws8.png'), fullPage: true });
  const before = await figures(page);

  const again = await openScenario(new URL(page.url()).search);
  await again.page.waitForFunction(() => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes('aws8-single-leader'));
  assert.deepEqual(await figures(again.page), before);
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
  await again.page.close();
  await page.close();
});

test('a new seed and duration change the figures and the address', async () => {
  const { page, problems } = await openScenario('?view=scenario&preset=sg-us-wallet&seed=1&duration=5');
  const before = await text(page, 'sc-tallies');
  // Two regions; the clients in Vietnam are drawn apart from SG (New York's sit next to US).
  assert.equal(await page.locator('[data-testid="world-map"] [data-testid^="wregion-"]').count(), 2);
  assert.equal(await page.getByTestId('client-population').count(), 1);
  await page.getByTestId('world-map-figure').screenshot({ path: join(SHOTS, 'scenario-sg-us-map.png') });
  await page.getByTestId('new-seed').click();
  await page.waitForFunction((b) => document.querySelector('[data-testid="sc-tallies"]').innerText !== b, before);
  const seed = await page.getByTestId('seed').inputValue();
  assert.match(seed, /^\d+$/);
  assert.match(page.url(), new RegExp(`seed=${seed}&duration=5`));
  await page.getByTestId('duration').fill('-3');
  assert.match(await text(page, 'duration-error'), /duration '-3'/);
  assert.match(page.url(), new RegExp(`seed=${seed}`), 'a bad value leaves the address');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a broken document names the field and line, and keeps the last results', async () => {
  const { page, problems } = await openScenario('?view=scenario&preset=quorum-r2w2');
  await page.waitForFunction(() => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes('quorum-r2w2'));
  const before = await figures(page);
  const doc = await page.getByTestId('editor').inputValue();
  const broken = doc.replace(/^w = \d+/m, 'w = 5');
  assert.notEqual(broken, doc);
  const line = broken.split('\n').findIndex((l) => l.startsWith('w = 5')) + 1;
  await page.getByTestId('editor').fill(broken);
  const error = await text(page, 'doc-error');
  assert.match(error, /replication\.w/);
  assert.match(error, new RegExp(`line ${line}\\b`));
  assert.deepEqual(await figures(page), before);
  assert.ok(await page.getByTestId('sc-stale-note').isVisible());
  await page.screenshot({ path: join(SHOTS, 'scenario-broken.png'), fullPage: false });
  // A syntax error gives its line and column.
  await page.getByTestId('editor').fill(doc.replace('duration_s = ', 'duration_s = = '));
  assert.match(await text(page, 'doc-error'), /line \d+, column \d+/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad address parameters are named and fall back to their defaults', async () => {
  const { page, problems } = await openScenario('?view=scenario&preset=mars&seed=abc&duration=1e9');
  const banner = await text(page, 'url-error');
  assert.match(banner, /'preset': unknown preset 'mars'/);
  assert.match(banner, /'seed': seed 'abc'/);
  assert.match(banner, /'duration': duration '1e9'/);
  assert.equal(await page.getByTestId('preset').inputValue(), 'sg-us-wallet');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a run downloads as the CLI report (JSON) and as CSV series', async () => {
  const { page, problems } = await openScenario('?view=scenario&preset=sg-down-reject');
  await page.waitForFunction(() => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes('sg-down-reject'));
  const fetchDownload = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  };
  const report = await fetchDownload('export-report');
  assert.equal(report.name, 'sg-down-reject-seed1-report.json');
  const golden = await readFile(join(ROOT, 'tests/fixtures/golden/sg-down-reject.json'), 'utf8');
  assert.equal(report.text, golden.trimEnd());
  const timeline = await fetchDownload('export-timeline');
  const rows = timeline.text.trim().split('\n');
  assert.match(rows[0], /^start_s,reads,reads_ok,/);
  assert.equal(rows.length - 1, JSON.parse(golden).failures.timeline.length);
  const histograms = await fetchDownload('export-histograms');
  assert.match(histograms.text, /^metric,clients,lo_ms,hi_ms,count\nread_latency,all,/);
  const regions = await fetchDownload('export-regions');
  assert.equal(regions.name, 'sg-down-reject-seed1-regions.csv');
  const all = regions.text.split('\n')[1].split(',');
  assert.equal(all[0], 'all');
  assert.equal(Number(all[3]), JSON.parse(golden).read_latency.p95);
  assert.deepEqual(problems, []);
});

test('every chart downloads as its SVG and as a PNG drawn from it', async () => {
  const { page, problems } = await openScenario('?view=scenario&preset=sg-us-wallet');
  const box = page.locator('.chart-box', { has: page.getByTestId('hist-read') });
  const fetchDownload = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), box.getByTestId(id).click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  };
  const svg = await fetchDownload('chart-svg');
  assert.equal(svg.name, 'read-latency.svg');
  const text = svg.bytes.toString('utf8');
  // The file is the chart as drawn in the page, and a well-formed SVG document.
  assert.match(text, /^<svg [^>]*width="560" height="300"/);
  assert.match(text, /Read latency/);
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, root: doc.documentElement.nodeName, rects: doc.querySelectorAll('rect').length };
  }, text);
  assert.deepEqual([parsed.error, parsed.root], [false, 'svg']);
  assert.ok(parsed.rects > 2, `${parsed.rects} bars`);
  const png = await fetchDownload('chart-png');
  assert.equal(png.name, 'read-latency.png');
  assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  // IHDR: width and height, twice the chart's 560 x 300.
  assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [1120, 600]);
  // Every chart on the page has the two buttons.
  assert.equal(await page.locator('.chart-box').count(), await page.getByTestId('chart-png').count());
  assert.deepEqual(problems, []);
});
