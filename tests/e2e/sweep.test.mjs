// The Sweep view in headless Chromium: the R × W grid of quorum-r1w1 (two values each, two seeds,
// 5 s runs) draws its heatmap, and every figure of its table is that of
// `meridian sweep quorum-r1w1 --vary replication.r=1,2 --vary replication.w=1,2 --seeds 2
// --duration 5 --json` (tests/fixtures/golden/sweep-quorum-r1w1.json, pinned natively by
// core/tests/cli_sweep.rs); its SVG download is the golden chart `--svg DIR` writes, byte for
// byte; another metric redraws from the same runs; a bad field is named under it while the last
// chart stays; the address reproduces the sweep; a bad address parameter is named; a sweep can be
// cancelled and run again. Any console error, Content-Security-Policy refusal or request to
// another origin fails the test (tests/support/e2e.mjs collects them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/site.mjs';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();
const GOLDEN = join(ROOT, 'tests', 'fixtures', 'golden');
const GRID = '?view=sweep&preset=quorum-r1w1&x=replication.r%3D1,2&y=replication.w%3D1,2&seeds=2&duration=5';

/** Opens `query` (the shared helper collects console errors, CSP refusals and requests to other
 * origins), and says how long the page took to show `ready`. */
async function open(query, ready) {
  const started = Date.now();
  const opened = await site.open(query, ready);
  return { ...opened, ms: Date.now() - started };
}

/** A figure as `meridian sweep` prints it: shares to four places, the rest to one. */
function text(metric, stat) {
  const places = metric.endsWith('_share') ? 4 : 1;
  const mean = stat.mean.toFixed(places);
  return stat.ci95 == null ? mean : `${mean} ± ${stat.ci95.toFixed(places)}`;
}

/** Checks every cell of the page's table against the CLI's summaries. */
async function assertTableIsTheClis(page, golden) {
  for (const point of golden.points) {
    const row = page.getByTestId(`sweep-row-${point.point.index}`);
    const values = point.point.values.map(([, v]) => String(v));
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, values.length), values);
    for (const metric of ['read_p95_ms', 'write_p95_ms', 'staleness_p99_ms', 'stale_read_share']) {
      const stat = point.stats.find((s) => s.metric === metric);
      const cell = row.getByTestId(`sweep-cell-${metric}`);
      assert.equal(Number(await cell.getAttribute('data-mean')), stat.mean, `${metric} at ${values}`);
      assert.equal(Number(await cell.getAttribute('data-ci95')), stat.ci95, `${metric} at ${values}`);
      assert.equal((await cell.innerText()).trim(), text(metric, stat), `${metric} at ${values}`);
    }
  }
}

test('the Sweep view draws the R × W heatmap with the figures of meridian sweep', async (t) => {
  const golden = JSON.parse(await readFile(join(GOLDEN, 'sweep-quorum-r1w1.json'), 'utf8'));
  const { page, problems, ms } = await open(GRID, 'sweep-chart');
  t.diagnostic(`2 × 2 grid × 2 seeds of 5 s: chart after ${ms} ms from opening the page`);
  assert.equal(await page.locator('main').getAttribute('data-view'), 'sweep');
  assert.equal(await page.getByTestId('nav-sweep').getAttribute('aria-current'), 'page');
  // The address is written out in full.
  assert.match(page.url(), /\?v=1&view=sweep&preset=quorum-r1w1&x=replication\.r%3D1%2C2&y=replication\.w%3D1%2C2&metric=staleness_p99_ms&seeds=2&duration=5$/);
  assert.equal(await page.getByTestId('sweep-grid').innerText(), '4 points × 2 seeds = 8 runs of 5 s each');
  await assertTableIsTheClis(page, golden);
  const label = await page.getByTestId('sweep-chart').getAttribute('aria-label');
  assert.match(label, /^staleness_p99_ms over replication\.r and replication\.w in quorum-r1w1, heatmap/);

  // The chart is the CLI's, byte for byte.
  const box = page.locator('.chart-box', { has: page.getByTestId('sweep-chart') });
  const [file] = await Promise.all([page.waitForEvent('download'), box.getByTestId('chart-svg').click()]);
  const name = 'staleness-p99-ms-over-replication-r-and-replication-w.svg';
  assert.equal(file.suggestedFilename(), name);
  const bytes = await readFile(await file.path());
  const want = await readFile(join(GOLDEN, 'svg', 'sweep-quorum-r1w1', name));
  if (!bytes.equals(want)) {
    const kept = join(SHOTS, `page-${name}`);
    await writeFile(kept, bytes);
    assert.fail(`the page's sweep chart differs from the CLI's (the page's is in ${kept})`);
  }
  const [png] = await Promise.all([page.waitForEvent('download'), box.getByTestId('chart-png').click()]);
  assert.equal(png.suggestedFilename(), name.replace(/svg$/, 'png'));
  await page.screenshot({ path: join(SHOTS, 'sweep.png'), fullPage: true });

  // Another metric redraws the chart from the same runs and goes into the address.
  await page.getByTestId('sweep-metric').selectOption('read_p95_ms');
  await page.waitForURL(/metric=read_p95_ms/);
  await page.waitForFunction(() => document.querySelector('[data-testid="sweep-chart"]')
    ?.getAttribute('aria-label')?.startsWith('read_p95_ms over'));
  assert.equal(await page.getByTestId('sweep-status').count(), 0, 'no new runs for a new metric');

  // The address reproduces the sweep.
  const again = await open(new URL(page.url()).search, 'sweep-chart');
  assert.equal(await again.page.getByTestId('sweep-metric').inputValue(), 'read_p95_ms');
  assert.equal(await again.page.getByTestId('sweep-x').inputValue(), 'replication.r=1,2');
  assert.equal(await again.page.getByTestId('sweep-y').inputValue(), 'replication.w=1,2');
  await assertTableIsTheClis(again.page, golden);

  // The grid run again in the open page, timed: one seed, then two.
  const caption = (seeds) => page.waitForFunction((n) => document
    .querySelector('[data-testid="sweep-table-caption"]')?.innerText.includes(`4 points × ${n} seed`), seeds);
  await page.getByTestId('sweep-seeds').fill('1');
  await caption(1);
  const rerun = Date.now();
  await page.getByTestId('sweep-seeds').fill('2');
  await caption(2);
  t.diagnostic(`2 × 2 grid × 2 seeds of 5 s in the open page: ${Date.now() - rerun} ms`);
  await assertTableIsTheClis(page, golden);

  // A bad field is named under it; the last chart stays and the address keeps the last valid sweep.
  await page.getByTestId('sweep-x').fill('replication.q=1,2');
  assert.match(await page.getByTestId('sweep-x-error').innerText(), /no field 'replication\.q' in this scenario/);
  await page.getByTestId('sweep-stale-note').waitFor();
  assert.equal(await page.getByTestId('sweep-chart').count(), 1);
  assert.match(page.url(), /x=replication\.r%3D1%2C2/);
  await page.getByTestId('sweep-x').fill('replication.r=1,9');
  assert.match(await page.getByTestId('sweep-x-error').innerText(), /replication\.r=9: the scenario is refused/);
  await page.getByTestId('sweep-x').fill('replication.r=1..300:1');
  assert.match(await page.getByTestId('sweep-grid-error').innerText(), /600 points × 2 seeds = 1200 runs; the page runs at most 200: run `meridian sweep` for more/);
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
});

test('a sweep over one field draws a line, and can be cancelled and run again', async (t) => {
  const { page, problems, ms } = await open('?view=sweep', 'sweep-chart');
  t.diagnostic(`the default sweep, 3 × 3 grid × 2 seeds of 10 s: chart after ${ms} ms from opening the page`);
  await page.getByTestId('sweep-example-1').click();
  await page.waitForURL(/preset=sg-down-promote&x=failover\.heartbeat_timeout_ms%3D1000\.\.5000%3A1000&metric=rto_write_ms/);
  await page.getByTestId('sweep-cancel').click();
  assert.match(await page.getByTestId('sweep-status').innerText(), /^Cancelled after \d+ \/ 10 runs\./);
  const started = Date.now();
  await page.getByTestId('sweep-restart').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sweep-chart"]')
    ?.getAttribute('aria-label')?.startsWith('rto_write_ms over failover.heartbeat_timeout_ms'),
  null, { timeout: 120000 });
  t.diagnostic(`5 points × 2 seeds of 40 s (sg-down-promote): chart after ${Date.now() - started} ms`);
  assert.match(await page.getByTestId('sweep-chart').getAttribute('aria-label'), /line chart with 95% intervals/);
  assert.equal(await page.getByTestId('sweep-table').locator('tbody tr').count(), 5);
  await page.screenshot({ path: join(SHOTS, 'sweep-line.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a bad address parameter of the Sweep view is named', async () => {
  const { page, problems } = await open(
    '?view=sweep&preset=quorum-r1w1&x=replication.q%3D1,2&seeds=9&colour=red',
    'sweep-chart',
  );
  const msg = await page.getByTestId('url-error').innerText();
  assert.match(msg, /'seeds': seeds '9': expected a whole number from 1 to 5/);
  assert.match(msg, /'x': 'replication\.q': no field 'replication\.q' in this scenario/);
  assert.match(msg, /unknown parameter 'colour' \(known: v, view, preset, x, y, metric, seeds, duration\)/);
  // The default sweep is shown instead.
  assert.equal(await page.getByTestId('sweep-x').inputValue(), 'replication.r=1,2,3');
  assert.deepEqual(problems, []);
});
