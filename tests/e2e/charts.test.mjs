// The page's charts are the CLI's: in headless Chromium, every chart of the Scenario view
// (aws8-single-leader, its default run), the Drill view (sg-down-promote) and the PBS view
// (lnkd-disk, N = 3, R = W = 1) is downloaded through its "SVG" button, and the file equals,
// byte for byte, the golden SVG that `meridian run|drill|pbs --svg DIR` writes for the same run
// (tests/fixtures/golden/svg/, pinned natively by core/tests/cli_svg.rs), under the same name.
// Each SVG parses as an SVG document in the page, and each "PNG" download is a PNG of twice the
// chart's size. Any console error fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/site.mjs';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();
const GOLDEN = join(ROOT, 'tests', 'fixtures', 'golden', 'svg');

/**
 * Clicks button `id` (chart-svg or chart-png) of the chart with test id `chart`: in its box, or
 * inside the chart's own element (the PBS view's figure holds its buttons).
 */
async function download(page, chart, id) {
  const inBox = page.locator('.chart-box', { has: page.getByTestId(chart) });
  const box = (await inBox.count()) > 0 ? inBox : page.getByTestId(chart);
  // Headless Chromium now and then cancels or drops one of many downloads from a page (seen on
  // a loaded machine): a click whose download does not complete is made again, up to 3 times.
  for (let attempt = 1; ; attempt++) {
    try {
      const [file] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        box.getByTestId(id).click(),
      ]);
      return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/** Parses `text` as SVG in the page: whether it failed, its root and its size attributes. */
function parse(page, text) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror') !== null,
      root: root.nodeName,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
    };
  }, text);
}

/**
 * For each `[test id, file name]` of `charts`: the SVG download is named `file name` and equals
 * the golden `folder/file name` byte for byte and parses as SVG; for the first chart, the PNG
 * download is a PNG (signature, then IHDR's width and height) of twice the SVG's size. (One PNG
 * per page keeps a page's downloads few: in this test a twelfth download from one page never
 * arrived.)
 */
async function checkCharts(page, folder, charts) {
  for (const [i, [chart, file]] of charts.entries()) {
    const svg = await download(page, chart, 'chart-svg');
    assert.equal(svg.name, file);
    const golden = await readFile(join(GOLDEN, folder, file));
    if (!svg.bytes.equals(golden)) {
      // Kept for a diff against the golden file.
      const kept = join(SHOTS, `page-${folder}-${file}`);
      await writeFile(kept, svg.bytes);
      assert.fail(`${folder}/${file}: the page's SVG differs from the CLI's (the page's is in ${kept})`);
    }
    const parsed = await parse(page, svg.bytes.toString('utf8'));
    assert.deepEqual([parsed.error, parsed.root], [false, 'svg'], file);
    if (i > 0) continue;
    const png = await download(page, chart, 'chart-png');
    assert.equal(png.name, file.replace(/\.svg$/, '.png'));
    assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file}: PNG signature`);
    assert.equal(png.bytes.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.deepEqual(
      [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)],
      [parsed.width * 2, parsed.height * 2],
      `${file}: PNG size`,
    );
  }
}

test('the Scenario view draws aws8-single-leader exactly as meridian run --svg', async () => {
  const { page, problems } = await site.open('?view=scenario&preset=aws8-single-leader', 'sc-read-p95');
  await page.waitForFunction(() => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes('aws8-single-leader'));
  await page.getByTestId('hist-staleness').waitFor();
  assert.match(page.url(), /preset=aws8-single-leader&seed=1&duration=30/);
  await checkCharts(page, 'aws8-single-leader', [
    ['hist-read', 'read-latency.svg'],
    ['cdf-read', 'read-latency-cdf.svg'],
    ['hist-write', 'write-latency.svg'],
    ['cdf-write', 'write-latency-cdf.svg'],
    ['hist-staleness', 'staleness-of-reads.svg'],
    ['cdf-staleness', 'staleness-of-reads-cdf.svg'],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Drill view draws sg-down-promote exactly as meridian drill --svg', async () => {
  const { page, problems } = await site.open('?view=drill&preset=sg-down-promote', 'drill-timeline');
  await page.getByTestId('drill-policy-chart').waitFor();
  // The RPO is drawn as a bracket over its window, and said in the summary.
  const timeline = page.getByTestId('drill-timeline');
  assert.match(await timeline.locator('svg:not(.drill-overlay)').innerHTML(), /RPO: 335 acknowledged writes lost, committed in the [\d.]+ m?s before the promotion/);
  assert.match(await timeline.getAttribute('aria-label'), /RPO: 335 acknowledged writes lost \(window [\d.]+ m?s\), committed from [\d.]+ s to the promotion at 28 s/);
  await checkCharts(page, 'sg-down-promote', [
    ['drill-timeline', 'failure-timeline-promote.svg'],
    ['drill-policy-chart', 'writes-acknowledged-by-policy.svg'],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the PBS view draws its curve exactly as meridian pbs --svg', async () => {
  const { page, problems } = await site.open('?view=pbs&preset=lnkd-disk&n=3&r=1&w=1&target=0.999', 'pbs-t-target');
  await checkCharts(page, 'pbs-lnkd-disk', [['pbs-chart', 't-visibility.svg']]);
  assert.deepEqual(problems, []);
  await page.close();
});
