// End-to-end walk over the Drill view in headless Chromium: sg-down-promote's timeline with the
// fault's band, the detection and promotion marks and the RTO and RPO of the golden report; the
// scrubber moved with the keyboard and the map following it into the outage; the three failover
// policies side by side; a scenario without faults and its one-click fault; bad addresses named
// in the banner. Any console error fails the test. Screenshots go to target/e2e/drill-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/site.mjs';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();

const text = (page, id) => page.getByTestId(id).innerText();
const golden = async (name) =>
  JSON.parse(await readFile(join(ROOT, 'tests', 'fixtures', 'golden', `${name}.json`), 'utf8'));
/** A figure the page writes as "8230 ms" or "10 s", in ms. */
const asMs = (s) => {
  const m = s.match(/^([\d.,]+) (ms|s)$/);
  assert.ok(m, s);
  return parseFloat(m[1].replace(/,/g, '')) * (m[2] === 's' ? 1000 : 1);
};

/** Waits until the view's run and the three policy runs are done. */
async function settled(page) {
  await page.getByTestId('drill-timeline').waitFor();
  await page.getByTestId('drill-policies').waitFor();
}

test('the timeline, the scrubbed map and the three policies of sg-down-promote', async () => {
  const { page, problems } = await site.open('?view=drill&preset=sg-down-promote', 'drill-timeline');
  await settled(page);
  const f = (await golden('sg-down-promote')).failures;
  const fault = f.faults[0];
  // The recovery figures are the native golden report's.
  assert.ok(Math.abs(asMs(await text(page, 'drill-rto-write-0')) - fault.rto_write_ms) < 1);
  assert.equal(asMs(await text(page, 'drill-rto-slo-0')), fault.rto_slo_ms);
  assert.equal(await text(page, 'drill-rpo'), String(f.rpo.lost_writes));
  // The chart: one band per panel, the marks, the RTO brackets and the RPO, and a summary.
  const chart = page.getByTestId('drill-timeline');
  assert.equal(await chart.getAttribute('role'), 'img');
  const aria = await chart.getAttribute('aria-label');
  assert.match(aria, /detected at 23 s, RTO \(writes\) 8230 ms, RTO \(SLOs\) 10 s/);
  assert.match(aria, new RegExp(`RPO: ${f.rpo.lost_writes} acknowledged writes lost`));
  assert.equal(await chart.locator('svg rect[fill="#D55E00"][opacity="0.14"]').count(), 4);
  const svgText = await chart.locator('svg:not(.drill-overlay)').innerHTML();
  for (const label of ['fault: region_down SG at 20 s for 25 s', 'SG declared down (23 s)',
    'promotion: US leads (28 s)', 'RTO (writes) 8230 ms', 'RTO (SLOs) 10 s']) {
    assert.ok(svgText.includes(label), label);
  }
  await page.screenshot({ path: join(SHOTS, 'drill-timeline.png'), fullPage: true });

  // The scrubber with the keyboard: Home is the first second, when every region is up.
  const slider = page.getByTestId('drill-slider');
  await slider.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('[data-testid="map-moment"]')?.innerText.startsWith('At 1 s'));
  assert.match(await text(page, 'map-moment'), /every region up; leader SG/);
  assert.doesNotMatch(await page.getByTestId('wregion-SG').getAttribute('class'), /down/);
  // 24 steps of one interval: 25 s, inside the outage, after the detection.
  for (let i = 0; i < 24; i += 1) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="map-moment"]')?.innerText.startsWith('At 25 s'));
  assert.match(await text(page, 'map-moment'), /SG down; no leader accepts writes; VN reads at US, writes refused/);
  assert.match(await page.getByTestId('wregion-SG').getAttribute('class'), /down/);
  assert.match(await text(page, 'drill-time'), /t = 25 s/);
  assert.match(page.url(), /&t=25$/);
  // Five more: US has been promoted and leads.
  for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="map-moment"]')?.innerText.startsWith('At 30 s'));
  assert.match(await text(page, 'map-moment'), /leader US; VN reads at US, writes to US/);
  assert.match(await page.getByTestId('wregion-US').getAttribute('class'), /writer/);
  // Space plays and pauses.
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('drill-play').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('drill-play').getAttribute('aria-pressed'), 'false');
  await page.getByTestId('world-map-figure').screenshot({ path: join(SHOTS, 'drill-map-outage.png') });

  // The three policies side by side, as `meridian drill` prints them.
  const heads = await page.getByTestId('drill-policies').locator('thead th').allInnerTexts();
  assert.deepEqual(heads, ['Figure', 'reject_writes', 'promote', 'manual']);
  const reject = (await golden('sg-down-reject')).failures;
  assert.ok(Math.abs(asMs(await text(page, 'drill-reject_writes-rto-write-0')) - reject.faults[0].rto_write_ms) < 0.1);
  assert.equal(await text(page, 'drill-reject_writes-rpo'), '0');
  assert.equal(await text(page, 'drill-promote-rpo'), String(f.rpo.lost_writes));
  assert.equal(await text(page, 'drill-manual-writes-rejected'), await text(page, 'drill-reject_writes-writes-rejected'));
  assert.match(await page.getByTestId('drill-policy-chart').getAttribute('aria-label'), /reject_writes RTO \(writes\) .*promote RTO \(writes\) 8230 ms.*manual/);
  await page.getByTestId('drill-policies').screenshot({ path: join(SHOTS, 'drill-policies.png') });
  assert.deepEqual(problems, []);
});

test('a scenario without faults says so and takes one with a click', async () => {
  const { page, problems } = await site.open('?view=drill&preset=sg-us-wallet&duration=30', 'drill-no-faults');
  assert.match(await text(page, 'drill-no-faults'), /no \[\[faults\]\]/);
  assert.equal(await page.getByTestId('drill-timeline').count(), 0);
  await page.getByTestId('drill-add-fault').click();
  await settled(page);
  assert.match(await page.getByTestId('drill-timeline').getAttribute('aria-label'), /fault region_down SG at 10 s for 10 s/);
  assert.match(page.url(), /&doc=[A-Za-z0-9_-]+/);
  // Another preset with a fault: its partition is drawn and drilled.
  await page.getByTestId('preset').selectOption('sg-us-partition');
  await page.waitForFunction(() => document.querySelector('[data-testid="drill-timeline"]')?.getAttribute('aria-label').includes('partition SG <-> US'));
  await page.waitForFunction(() => !document.querySelector('[data-testid="drill-policies-status"]'));
  await page.getByTestId('drill-policies').waitFor();
  await page.getByTestId('drill-slider').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 29; i += 1) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="map-moment"]')?.innerText.includes('cut off'));
  assert.equal(await page.getByTestId('map-cut').count(), 1);
  assert.deepEqual(problems, []);
});

test('bad drill addresses are named and the view still opens', async () => {
  const { page, problems } = await site.open('?view=drill&preset=mars&t=soon&speed=9', 'url-error');
  const message = await text(page, 'url-error');
  assert.match(message, /'preset': unknown preset 'mars'/);
  assert.match(message, /'t': time 'soon'/);
  assert.match(message, /unknown parameter 'speed'/);
  await settled(page);
  assert.deepEqual(problems, []);
});

test('the drill run downloads as the CLI report and its timeline as CSV', async () => {
  const { page, problems } = await site.open('?view=drill&preset=sg-down-promote', 'drill-timeline');
  const fetchDownload = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    return readFile(await download.path(), 'utf8');
  };
  const report = await fetchDownload('export-report');
  const native = await readFile(join(ROOT, 'tests/fixtures/golden/sg-down-promote.json'), 'utf8');
  assert.equal(report, native.trimEnd());
  const rows = (await fetchDownload('export-timeline')).trim().split('\n');
  assert.equal(rows.length - 1, JSON.parse(native).failures.timeline.length);
  assert.deepEqual(problems, []);
});
