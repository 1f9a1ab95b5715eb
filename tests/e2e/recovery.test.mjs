// The Recovery view in headless Chromium: `?view=recovery&preset=queue-down-2m` shows the figures
// of `meridian recovery queue-down-2m --json` (tests/fixtures/golden/recovery-queue-down-2m.json,
// pinned natively by core/tests/cli_recovery.rs), its report download is that object, its
// recovery timeline downloads as the golden SVG `meridian recovery queue-down-2m --svg DIR` writes,
// byte for byte; editing the outage changes the figures and the address; a bad address parameter
// is named; and seed 003's table fills in. Any console error fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/site.mjs';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();
const GOLDEN = join(ROOT, 'tests', 'fixtures', 'golden');

/** A duration in ms as the CLI and the page write it (core's `human_ms`). */
function human(ms) {
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60000).toFixed(1)} min`;
}

test('the Recovery view shows meridian recovery queue-down-2m, its chart and its table', async () => {
  const golden = JSON.parse(await readFile(join(GOLDEN, 'recovery-queue-down-2m.json'), 'utf8'));
  const { page, problems } = await site.open('?view=recovery&preset=queue-down-2m', 'recovery-orders');
  assert.match(page.url(), /view=recovery&preset=queue-down-2m&seed=1/);
  assert.equal(await page.locator('main').getAttribute('data-view'), 'recovery');

  // The figures are the CLI's.
  const o = golden.orders;
  const orders = await page.getByTestId('recovery-orders').innerText();
  assert.ok(orders.startsWith(`${o.arrived} arrived, ${o.accepted} accepted, ${o.rejected} refused`), orders);
  const outbox = await page.getByTestId('recovery-outbox').innerText();
  assert.ok(outbox.startsWith(`${golden.outbox.committed} committed, ${golden.outbox.published} published`), outbox);
  assert.ok(outbox.endsWith(`peak backlog ${golden.outbox.peak_backlog}`), outbox);
  const reviews = await page.getByTestId('recovery-reviews').innerText();
  assert.ok(reviews.startsWith(`${golden.reviews.flagged} flagged`), reviews);
  const projection = await page.getByTestId('recovery-projection').innerText();
  assert.ok(projection.startsWith(`${golden.projection.seen} clients saw their order`), projection);
  const m = golden.outages[0];
  const row = page.getByTestId('recovery-outage-0');
  assert.equal(await row.getByTestId('outage-detection').innerText(), m.detection_ms == null ? 'never' : human(m.detection_ms));
  assert.equal(await row.getByTestId('outage-recovery').innerText(), human(m.recovery_ms));
  assert.equal(await row.getByTestId('outage-refused').innerText(), human(m.downtime_ms));

  // The report download is the CLI's JSON object.
  const link = page.getByTestId('export-report');
  assert.equal(await link.getAttribute('download'), 'queue-down-2m-seed1-recovery.json');
  const href = await link.getAttribute('href');
  const prefix = 'data:application/json;charset=utf-8,';
  assert.ok(href.startsWith(prefix));
  assert.deepEqual(JSON.parse(decodeURIComponent(href.slice(prefix.length))), golden);

  // The chart is the CLI's, byte for byte.
  const box = page.locator('.chart-box', { has: page.getByTestId('recovery-chart') });
  const label = await page.getByTestId('recovery-chart').getAttribute('aria-label');
  assert.ok(label.includes('outage: queue down at 312.5 s for 120 s'), label);
  const [file] = await Promise.all([page.waitForEvent('download'), box.getByTestId('chart-svg').click()]);
  assert.equal(file.suggestedFilename(), 'recovery-timeline.svg');
  const bytes = await readFile(await file.path());
  const want = await readFile(join(GOLDEN, 'svg', 'queue-down-2m', 'recovery-timeline.svg'));
  if (!bytes.equals(want)) {
    const kept = join(SHOTS, 'page-recovery-timeline.svg');
    await writeFile(kept, bytes);
    assert.fail(`the page's recovery timeline differs from the CLI's (the page's is in ${kept})`);
  }

  // Seed 003's table fills in: 4 failure types x 3 lengths, with the document's estimates.
  await page.getByTestId('recovery-table-rows').waitFor({ timeout: 120000 });
  const rows = page.getByTestId('recovery-table-rows').locator('tbody tr');
  assert.equal(await rows.count(), 12);
  assert.match(await rows.nth(0).innerText(), /Delivery Service\s+20\.0 s/);
  assert.match(await rows.nth(11).innerText(), /2-5 s \| immediate \| 20-30 s/);
  assert.match(await page.getByTestId('recovery-table-caption').innerText(), /5 seeds per row/);

  // Editing the outage: a longer broker outage changes the figures and the address.
  const before = await page.getByTestId('recovery-outbox').innerText();
  await page.getByTestId('recovery-for').fill('600');
  await page.waitForURL(/for=600/);
  await page.waitForFunction(
    (old) => document.querySelector('[data-testid="recovery-outbox"]')?.innerText !== old,
    before,
  );
  assert.match(await page.getByTestId('recovery-outage-0').innerText(), /queue down at 312\.5 s for 600 s/);
  assert.match(await page.getByTestId('recovery-tallies').innerText(), /queue-down-2m \(edited\)/);
  // A bad length is named under its field and the figures stay.
  await page.getByTestId('recovery-for').fill('0');
  assert.match(await page.getByTestId('recovery-for-error').innerText(), /length '0'/);
  await page.getByTestId('recovery-stale-note').waitFor();
  // Another service and kind.
  await page.getByTestId('recovery-for').fill('120');
  await page.getByTestId('recovery-service').selectOption('product');
  await page.getByTestId('recovery-kind').selectOption('degraded');
  await page.waitForURL(/service=product&kind=degraded/);
  await page.getByTestId('recovery-error-rate').waitFor();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="recovery-outage-0"]')?.innerText.includes('product degraded'));
  await page.screenshot({ path: join(SHOTS, 'recovery.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a bad address parameter of the Recovery view is named', async () => {
  const { page, problems } = await site.open(
    '?view=recovery&preset=queue-down-2m&kind=gone&at=99999&colour=red',
    'recovery-orders',
  );
  const msg = await page.getByTestId('url-error').innerText();
  assert.match(msg, /'kind': kind 'gone': expected down, degraded or slow/);
  assert.match(msg, /'at': start '99999'/);
  assert.match(msg, /unknown parameter 'colour' \(known: v, view, preset, seed, service, kind, at, for, error_rate, extra_ms\)/);
  // The rest still applies: the preset's own outage.
  assert.match(await page.getByTestId('recovery-outage-0').innerText(), /queue down at 312\.5 s for 120 s/);
  assert.deepEqual(problems, []);
});
