// End-to-end walk over the Drill view's schedule editing in headless Chromium: a region clicked
// (and one activated with the keyboard) on the map at the scrubbed time becomes a fault on the
// timeline, in the list and in the three policy runs, and the address reopens it; a window
// dragged across the timeline; a runbook toggle switched at a time; Remove and Undo give the
// document back; a bad length is refused with a message. Then every map of the page downloads
// as a standalone SVG (styles inside) and as a PNG drawn from it. Any console error fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/site.mjs';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();

const text = (page, id) => page.getByTestId(id).innerText();
const aria = (page) => page.getByTestId('drill-timeline').getAttribute('aria-label');
const preset = (name) => readFile(join(ROOT, 'core', 'presets', `${name}.toml`), 'utf8');

/** Waits until the timeline's summary matches `re` and the three policy runs are done. */
async function settledWith(page, re) {
  await page.waitForFunction((src) => {
    const a = document.querySelector('[data-testid="drill-timeline"]')?.getAttribute('aria-label') ?? '';
    return new RegExp(src).test(a);
  }, re.source);
  await page.waitForFunction(() => !document.querySelector('[data-testid="drill-policies-status"]'));
  await page.getByTestId('drill-policies').waitFor();
}

/** Moves the scrubber to `t` s with the keyboard (one interval of 1 s per arrow). */
async function scrubTo(page, t) {
  await page.getByTestId('drill-slider').focus();
  await page.keyboard.press('Home');
  for (let i = 1; i < t; i += 1) await page.keyboard.press('ArrowRight');
  await page.waitForFunction((s) => document.querySelector('[data-testid="drill-time"]')?.innerText === `t = ${s} s`, t);
}

test('a region clicked at the scrubbed time becomes a fault, reruns, and lives in the link', async () => {
  const { page, problems } = await site.open('?view=drill&preset=sg-down-promote', 'drill-timeline');
  await settledWith(page, /region_down SG/);
  assert.equal(await page.getByTestId('drill-rto-write-1').count(), 0);
  assert.equal(await page.getByTestId('drill-undo').isDisabled(), true);
  await scrubTo(page, 50);
  await page.getByTestId('drill-fault-length').fill('8');
  await page.getByTestId('wregion-US').click();
  await settledWith(page, /fault region_down US at 50 s for 8 s/);
  // The band is drawn (one per panel per fault), listed, measured and run under each policy.
  const chart = page.getByTestId('drill-timeline');
  assert.equal(await chart.locator('svg rect[fill="#D55E00"][opacity="0.14"]').count(), 8);
  assert.match(await text(page, 'drill-fault-1'), /region_down US at 50 s for 8 s/);
  assert.match(await text(page, 'drill-rto-write-1'), /^([\d,.]+ m?s|not recovered)$/);
  assert.match(await text(page, 'drill-promote-rto-write-1'), /^([\d,.]+ m?s|not recovered)$/);
  assert.match(await page.getByTestId('drill-policy-chart').getAttribute('aria-label'), /promote RTO/);
  // The scrubbed map shows US down at 51 s.
  await scrubTo(page, 51);
  await page.waitForFunction(() => document.querySelector('[data-testid="map-moment"]')?.innerText.includes('US down'));
  assert.match(await page.getByTestId('wregion-US').getAttribute('class'), /down/);
  // The keyboard does the same: a cut-off of SG from 10 s, with Enter on the focused region.
  await scrubTo(page, 10);
  await page.getByTestId('drill-fault-kind').selectOption('partition');
  await page.getByTestId('wregion-SG').focus();
  await page.keyboard.press('Enter');
  await settledWith(page, /fault partition SG <-> US at 10 s for 8 s/);
  assert.match(await text(page, 'drill-fault-list'), /region_down SG at 20 s for 25 s[\s\S]*region_down US at 50 s for 8 s[\s\S]*partition SG <-> US at 10 s for 8 s/);
  await page.screenshot({ path: join(SHOTS, 'drill-edit.png'), fullPage: true });
  // The address holds the document and the time: a fresh page opens the same drill.
  const url = page.url();
  assert.match(url, /&doc=[A-Za-z0-9_-]+/);
  assert.match(url, /&t=10$/);
  const summary = await aria(page);
  const fresh = await site.open(url.slice(url.indexOf('?')), 'drill-timeline');
  await settledWith(fresh.page, /partition SG <-> US at 10 s for 8 s/);
  assert.equal(await aria(fresh.page), summary);
  assert.equal(await text(fresh.page, 'drill-fault-list'), await text(page, 'drill-fault-list'));
  assert.equal(await text(fresh.page, 'drill-time'), 't = 10 s');
  assert.deepEqual(fresh.problems, []);
  // Remove the partition, then the US fault: the document is the preset's again.
  await page.getByTestId('drill-remove-2').click();
  await settledWith(page, /^(?!.*partition).*region_down US at 50 s/);
  await page.getByTestId('drill-remove-1').click();
  await settledWith(page, /^(?!.*region_down US).*region_down SG/);
  assert.equal(await page.getByTestId('editor').inputValue(), await preset('sg-down-promote'));
  assert.equal(await page.getByTestId('drill-fault-1').count(), 0);
  assert.deepEqual(problems, []);
});

test('a window dragged across the timeline, a toggle at a time, Undo, and a bad length', async () => {
  const { page, problems } = await site.open('?view=drill&preset=sg-down-reject', 'drill-timeline');
  await settledWith(page, /region_down SG/);
  await page.getByTestId('drill-drag-region').selectOption('US');
  const end = Number(await page.getByTestId('drill-slider').getAttribute('max'));
  const plot = await page.getByTestId('drill-plot').boundingBox();
  // The time axis runs from 72 px to 944 px of the 960 px chart (timeline.rs's panel layout).
  const xAt = (t) => plot.x + ((72 + (t / end) * 872) / 960) * plot.width;
  const y = plot.y + plot.height * 0.6;
  await page.mouse.move(xAt(5), y);
  await page.mouse.down();
  await page.mouse.move(xAt(10), y, { steps: 4 });
  await page.mouse.move(xAt(15), y, { steps: 4 });
  await page.mouse.up();
  await settledWith(page, /fault region_down US at 5 s for 10 s/);
  assert.match(await text(page, 'drill-fault-list'), /region_down US at 5 s for 10 s/);
  // A click without a drag moves the scrubber there.
  await page.mouse.click(xAt(33), y);
  await page.waitForFunction(() => document.querySelector('[data-testid="drill-time"]')?.innerText === 't = 33 s');
  // A toggle on at 33 s, then off at 40 s.
  const toggle = page.getByTestId('drill-toggle-force_leader_read');
  assert.equal(await toggle.innerText(), 'Switch force_leader_read on at 33 s');
  await toggle.click();
  await settledWith(page, /fault toggle force_leader_read from 33 s/);
  assert.match(await aria(page), /marks: .*toggle force_leader_read on at 33 s/);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await scrubTo(page, 40);
  assert.equal(await toggle.innerText(), 'Switch force_leader_read off at 40 s');
  await toggle.click();
  await settledWith(page, /toggle force_leader_read at 33 s for 7 s/);
  assert.match(await text(page, 'drill-fault-list'), /toggle force_leader_read at 33 s for 7 s/);
  // Undo, step by step, back to the preset's own document: the link loses the document.
  for (const left of [/toggle force_leader_read from 33 s/, /^(?!.*toggle).*region_down US at 5 s/, /^(?!.*region_down US).*region_down SG/]) {
    await page.getByTestId('drill-undo').click();
    await settledWith(page, left);
  }
  assert.equal(await page.getByTestId('drill-undo').isDisabled(), true);
  assert.doesNotMatch(page.url(), /doc=/);
  // A bad length is named; a click then changes nothing and says why.
  await page.getByTestId('drill-fault-length').fill('-3');
  assert.match(await text(page, 'drill-fault-length-error'), /fault length '-3': expected seconds from 0.001 to 86400/);
  await page.getByTestId('wregion-US').click();
  assert.match(await text(page, 'drill-edit-error'), /Not changed: fault length '-3'/);
  assert.equal(await page.getByTestId('drill-fault-1').count(), 0);
  await page.getByTestId('drill-fault-length').fill('30');
  assert.equal(await text(page, 'drill-fault-length-error'), '');
  assert.deepEqual(problems, []);
});

/** Downloads the map's SVG and PNG from `scope` and checks both files. */
async function checkMapDownloads(page, scope, name) {
  const fetchDownload = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), scope.getByTestId(id).click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  };
  const svg = await fetchDownload('map-svg');
  assert.equal(svg.name, `${name}.svg`);
  // Parsed in a blank page: the site's Content-Security-Policy would refuse the file's <style>
  // when a document made by DOMParser in the site's page applies it.
  const blank = await page.context().browser().newPage();
  const parsed = await blank.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror') !== null,
      root: root.nodeName,
      ns: root.namespaceURI,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      style: doc.querySelector('style')?.textContent ?? '',
    };
  }, svg.bytes.toString('utf8'));
  await blank.close();
  assert.deepEqual([parsed.error, parsed.root, parsed.ns], [false, 'svg', 'http://www.w3.org/2000/svg']);
  assert.ok(parsed.width > 0 && parsed.height > 0);
  // The page's map styles travel inside the file, in the light theme.
  assert.match(parsed.style, /\.(world|region)-map /);
  assert.doesNotMatch(parsed.style, /var\(/);
  const png = await fetchDownload('map-png');
  assert.equal(png.name, `${name}.png`);
  assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [2 * parsed.width, 2 * parsed.height]);
  return parsed;
}

test('every map downloads as a standalone SVG and a PNG drawn from it', async () => {
  const drill = await site.open('?view=drill&preset=sg-down-promote&t=25', 'drill-timeline');
  await drill.page.getByTestId('world-map').waitFor();
  const map = await checkMapDownloads(drill.page, drill.page.getByTestId('world-map-figure'), 'world-map-sg-down-promote');
  assert.equal(map.width, 960);
  assert.match(map.style, /\.world-map \.sea \{ fill: #eef4fa; \}/);
  assert.deepEqual(drill.problems, []);

  const scenario = await site.open('?view=scenario&preset=aws8-single-leader&duration=5', 'world-map');
  await checkMapDownloads(scenario.page, scenario.page.getByTestId('world-map-figure'), 'world-map-aws8-single-leader');
  assert.deepEqual(scenario.problems, []);

  const compare = await site.open('?view=compare&duration=5', 'cmp-map-b');
  await compare.page.getByTestId('world-map').nth(1).waitFor();
  assert.equal(await compare.page.getByTestId('map-svg').count(), 2);
  await checkMapDownloads(compare.page, compare.page.getByTestId('world-map-figure').nth(1), 'world-map-sg-us-multi-leader');
  assert.deepEqual(compare.problems, []);

  const kata = await site.open('?view=kata86&n=1000', 'region-map');
  const k = await checkMapDownloads(kata.page, kata.page.locator('.region-map-box'), 'region-map');
  assert.deepEqual([k.width, k.height], [640, 300]);
  assert.match(k.style, /\.region-map \.ocean/);
  assert.deepEqual(kata.problems, []);
});
