// End-to-end walk through every view from the page's own menu, as a visitor would: each view
// opens from its link, shows its figures, is reachable with the keyboard, and logs no console
// error. Each view's screenshot goes to target/e2e/, in the light and the dark theme, and the
// picture at the top of the README is made here (target/e2e/readme-picture.jpg: the aws8 preset's
// map and charts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();

// Each view's name in the menu, and an element that holds its figures once its run is done.
const VIEWS = [
  ['kata86', 'read-p95'],
  ['scenario', 'sc-read-p95'],
  ['compare', 'cmp-figures'],
  ['drill', 'drill-policies'],
  ['recovery', 'recovery-orders'],
  ['sweep', 'sweep-chart'],
  ['pbs', 'pbs-t-target'],
  ['conflicts', 'cf-stepper'],
];

test('every view opens from the menu, with its figures and no console error', async () => {
  const { page, problems } = await site.open('', 'nav-kata86');
  for (const [name, ready] of VIEWS) {
    // The menu works from the keyboard: focus the link and press Enter.
    await page.getByTestId(`nav-${name}`).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`view=${name}`));
    await page.getByTestId(ready).waitFor();
    await page.waitForFunction(() => !document.querySelector('[role="status"] progress'));
    assert.equal(await page.locator('main').getAttribute('data-view'), name);
    assert.equal(await page.getByTestId(`nav-${name}`).getAttribute('aria-current'), 'page');
    // Every chart on the page says in words what it shows.
    for (const chart of await page.locator('figure.chart').all()) {
      const label = await chart.evaluate((f) =>
        (f.getAttribute('role') === 'img' ? f : f.querySelector('[role="img"]'))?.getAttribute('aria-label') ?? '');
      assert.ok(label.length > 20, `${name}: a chart without a summary`);
    }
    await page.screenshot({ path: join(SHOTS, `walk-${name}.png`), fullPage: true });
  }
  assert.deepEqual(problems, []);
});

test('the dark theme follows the system setting', async () => {
  const { page, problems } = await site.open('?view=compare', 'cmp-figures');
  await page.emulateMedia({ colorScheme: 'dark' });
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(background, 'rgb(18, 22, 28)');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(246, 247, 249)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, 'walk-compare-dark.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the README picture: the aws8 preset, its map and its charts', async () => {
  const { page, problems } = await site.open('?view=scenario&preset=aws8-single-leader', 'sc-read-p95');
  await page.setViewportSize({ width: 1000, height: 1400 });
  // The picture shows the map, the headline figures and the read-latency charts; the tables in
  // between are folded away for it (they are in the view's own screenshot).
  // (Hidden through the CSSOM: the page's Content-Security-Policy refuses added style sheets.)
  await page.evaluate(() => {
    const folded = '[data-testid="sc-slos"], [data-testid="sc-regions"], [data-testid="sc-counters"], [data-testid="sc-tallies"], .scenario-charts h2, .scenario-charts label.inline, .map-focus p.note, figure.world > p';
    for (const el of document.querySelectorAll(folded)) el.style.setProperty('display', 'none', 'important');
  });
  await page.getByTestId('wregion-eu-west-1').focus();
  const top = await page.getByTestId('world-map-figure').boundingBox();
  const bottom = await page.getByTestId('charts-read').boundingBox();
  await page.screenshot({
    path: join(SHOTS, 'readme-picture.jpg'),
    type: 'jpeg',
    quality: 70,
    fullPage: true,
    clip: { x: top.x - 8, y: top.y - 8, width: top.width + 16, height: bottom.y + bottom.height - top.y + 16 },
  });
  assert.deepEqual(problems, []);
});
