// End-to-end test of the built site (dist/) in Debian's headless Chromium, driven by
// playwright-core: the page renders simulated figures, reacts to its controls, reports bad input
// inline without losing the last results, honours URL parameters (the view among them), lets a
// newer setting cancel a long run, points to its merge races, and logs no console errors.
//
// Run by `make test` after `trunk build --release`; on its own: `node --test tests/e2e/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();

async function openPage(query = '') {
  return site.open(query, 'slo-table');
}

const text = (page, id) => page.getByTestId(id).innerText();

test('default view shows the reference figures for seed 1', async () => {
  const { page, problems } = await openPage();
  // US-served client, SG leader, fallback reads, 5000 iterations, seed 1: the exercise's
  // reference simulation gives readP95 220, writeP95 400, stalenessP95 344, stalenessP99 6193.
  assert.match(await text(page, 'read-p95'), /220 ms/);
  assert.match(await text(page, 'write-p95'), /400 ms/);
  assert.match(await text(page, 'staleness-p95'), /344 ms/);
  assert.match(await text(page, 'staleness-p99'), /6193 ms/);
  assert.equal(await page.locator('[data-testid="slo-table"] tbody tr').count(), 3);
  assert.ok(await page.locator('[data-testid="read-chart"] svg rect').count() > 1);
  assert.ok(await page.getByTestId('region-map').isVisible());
  await page.screenshot({ path: join(SHOTS, 'kata86-default.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('changing a control recomputes the chart, the table and the URL', async () => {
  const { page, problems } = await openPage();
  const chartBefore = await page.getByTestId('read-chart').innerHTML();
  const tableBefore = await text(page, 'slo-table');
  await page.getByTestId('client').selectOption('SG');
  await page.waitForFunction(() => !document.querySelector('[data-testid="read-p95"]').innerText.includes('220 ms'));
  assert.notEqual(await page.getByTestId('read-chart').innerHTML(), chartBefore);
  assert.notEqual(await text(page, 'slo-table'), tableBefore);
  assert.match(await text(page, 'read-p95'), /40 ms/);
  assert.match(page.url(), /client=SG/);
  // Picking a table row selects that strategy.
  await page.getByTestId('row-leader').click();
  assert.equal(await page.getByTestId('strategy').inputValue(), 'leader');
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad input shows an inline message and keeps the last results', async () => {
  const { page, problems } = await openPage();
  const tilesBefore = await text(page, 'staleness-p99');
  const chartBefore = await page.getByTestId('staleness-chart').innerHTML();
  for (const bad of ['0', '-5', 'many', '1000001', '']) {
    await page.getByTestId('iterations').fill(bad);
    const message = await text(page, 'iterations-error');
    assert.match(message, /whole number from 1 to 1,000,000/, `for ${JSON.stringify(bad)}`);
    assert.equal(await text(page, 'staleness-p99'), tilesBefore);
    assert.equal(await page.getByTestId('staleness-chart').innerHTML(), chartBefore);
    assert.ok(await page.getByTestId('stale-note').isVisible());
  }
  await page.getByTestId('seed').fill('x');
  assert.match(await text(page, 'seed-error'), /from 0 to 9007199254740991/);
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('iterations').fill('20000');
  await page.getByTestId('tallies').filter({ hasText: '20,000 iterations, seed 7' }).waitFor();
  assert.equal(await page.getByTestId('iterations-error').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'kata86-after-edits.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link reproduces a view, and bad URL parameters are named', async () => {
  const { page, problems } = await openPage('?client=SG&leader=US&strategy=leader&n=1000&seed=3');
  assert.equal(await page.getByTestId('client').inputValue(), 'SG');
  assert.equal(await page.getByTestId('leader').inputValue(), 'US');
  assert.match(await text(page, 'tallies'), /1,000 iterations, seed 3/);
  await page.close();
  const bad = await openPage('?client=EU&n=5000');
  assert.match(await text(bad.page, 'url-error'), /'client': unknown region 'EU'; allowed: SG, US/);
  assert.deepEqual([...problems, ...bad.problems], []);
  await bad.page.close();
});

test('the view is part of the address, and a bad view is named', async () => {
  const { page, problems } = await openPage('?client=SG&seed=4');
  // The address gains the view it shows.
  await page.waitForFunction(() => location.search.startsWith('?v=1&view=kata86&'));
  assert.match(page.url(), /client=SG/);
  assert.match(page.url(), /seed=4/);
  await page.close();
  const bad = await openPage('?view=globe&client=SG');
  assert.match(await text(bad.page, 'url-error'), /'view': unknown view 'globe'; allowed: kata86/);
  assert.equal(await bad.page.getByTestId('client').inputValue(), 'SG');
  assert.match(await text(bad.page, 'read-p95'), /40 ms/);
  assert.deepEqual([...problems, ...bad.problems], []);
  await bad.page.close();
});

test('a newer setting cancels a long run and its figures are the ones shown', async () => {
  const { page, problems } = await openPage();
  await page.getByTestId('iterations').fill('1000000');
  await page.getByTestId('seed').fill('9');
  await page.getByTestId('tallies').filter({ hasText: '1,000,000 iterations, seed 9' }).waitFor({ timeout: 60_000 });
  // Nothing of the superseded run (seed 1) arrives later.
  await page.waitForTimeout(500);
  assert.match(await text(page, 'tallies'), /1,000,000 iterations, seed 9/);
  assert.equal(await page.getByTestId('run-status').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the timing harness measures the browser', async () => {
  const { page, problems } = await openPage();
  await page.getByTestId('bench-button').click();
  // The panel shows each benchmark as it finishes and marks the block done at the end.
  await page.locator('[data-testid="bench-result"][data-running="false"]').waitFor({ timeout: 120_000 });
  const result = await text(page, 'bench-result');
  const timing = String.raw`median [\d.]+ ms over \d+ runs after warm-up \(best [\d.]+ ms\)`;
  assert.match(result, new RegExp(String.raw`Kata 86, 10,000,000 iterations: ${timing}: [\d.]+ million iterations/s`));
  assert.match(result, new RegExp(String.raw`engine, sg-us-wallet, 30,227 requests: ${timing}: [\d.]+ million requests/s`));
  assert.match(result, new RegExp(String.raw`engine, aws8-multi-leader, 60,130 requests: ${timing}`));
  console.log(`browser benchmark: ${result}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the merge races are one link away, in the Conflicts view', async () => {
  const { page, problems } = await openPage();
  await page.getByTestId('kata86-merges').getByRole('link').click();
  await page.getByTestId('cf-counter').waitFor();
  assert.match(page.url(), /view=conflicts/);
  assert.deepEqual(problems, []);
  await page.close();
});
