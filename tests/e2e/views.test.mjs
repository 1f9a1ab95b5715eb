// End-to-end walk over the PBS and Conflicts views of the built site (dist/) in headless
// Chromium: the PBS view follows R and W (figures, chart summary and address), the Conflicts view
// steps through a walkthrough with the keyboard, and bad address parameters are named. Any
// console error fails the test. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, useSite } from '../support/e2e.mjs';

const site = useSite();

const text = (page, id) => page.getByTestId(id).innerText();

/** Waits until the element `id` holds text matching `re`. */
function waitForText(page, id, re) {
  return page.waitForFunction(
    ([id, source]) => new RegExp(source).test(document.querySelector(`[data-testid="${id}"]`)?.innerText ?? ''),
    [id, re.source],
  );
}

test('the PBS view follows R and W: figures, chart and address', async () => {
  const { page, problems } = await site.open('?view=pbs&preset=lnkd-disk&n=3&r=1&w=1&target=0.999', 'pbs-t-target');
  assert.match(await text(page, 'pbs-quorum'), /N=3, R=1, W=1 \(lnkd-disk\)/);
  // C(2,1)/C(3,1) = 2/3 of the reads miss the write: 33.33% consistent in closed form.
  assert.equal(await text(page, 'pbs-closed-t0'), '33.33%');
  assert.match(await text(page, 'pbs-sim-t0'), /^\d+(\.\d+)?%$/);
  const reach = await text(page, 'pbs-t-target');
  assert.match(reach, /^99\.9% consistent after [\d.]+ m?s$/);
  const chart = page.getByTestId('pbs-chart-img');
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.equal(await chart.getAttribute('aria-label'), `t-visibility for N=3, R=1, W=1 (lnkd-disk): ${reach}`);
  // The curve, in the latency colour (the other polylines are the grid).
  assert.equal(await page.locator('[data-testid="pbs-chart"] svg polyline[stroke="#2D6EBE"]').count(), 1);
  await page.screenshot({ path: join(SHOTS, 'pbs-lnkd-disk.png'), fullPage: true });
  const chartBefore = await page.getByTestId('pbs-chart').innerHTML();

  // R = 2: still partial, 2/3 consistent in closed form, and a new curve.
  await page.getByTestId('pbs-r').fill('2');
  await waitForText(page, 'pbs-quorum', /R=2, W=1/);
  assert.equal(await text(page, 'pbs-closed-t0'), '66.67%');
  assert.notEqual(await page.getByTestId('pbs-chart').innerHTML(), chartBefore);
  assert.match(page.url(), /view=pbs&preset=lnkd-disk&n=3&r=2&w=1&target=0\.999/);

  // W = 2: a strict quorum, consistent from commit.
  await page.getByTestId('pbs-w').fill('2');
  await waitForText(page, 'pbs-quorum', /R=2, W=2/);
  assert.equal(await text(page, 'pbs-closed-t0'), '100%');
  assert.equal(await text(page, 'pbs-sim-t0'), '100%');
  assert.match(await text(page, 'pbs-strict'), /R \+ W = 4 > N = 3: a strict quorum/);
  assert.match(await text(page, 'pbs-t-target'), /from t = 0/);
  assert.match(page.url(), /r=2&w=2/);

  // A quorum larger than N is named; the last figures stay.
  await page.getByTestId('pbs-w').fill('7');
  assert.equal(await text(page, 'pbs-w-error'), "W '7': expected a whole number from 1 to N (3)");
  assert.ok(await page.getByTestId('pbs-stale-note').isVisible());
  assert.match(page.url(), /w=2/, 'a bad value leaves the address');

  // Another latency fit.
  await page.getByTestId('pbs-w').fill('1');
  await page.getByTestId('pbs-preset').selectOption('ymmr');
  await waitForText(page, 'pbs-quorum', /R=2, W=1 \(ymmr\)/);
  await page.screenshot({ path: join(SHOTS, 'pbs-ymmr.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Conflicts view steps with the keyboard and shows what each strategy kept', async () => {
  const { page, problems } = await site.open('?view=conflicts&example=wallet', 'cf-counter');
  assert.equal(await text(page, 'cf-counter'), 'step 1 of 4');
  assert.equal(await page.getByTestId('cf-a').inputValue(), 'lww');
  assert.equal(await page.getByTestId('cf-b').inputValue(), 'pn-counter');

  await page.getByTestId('cf-stepper').focus();
  await page.keyboard.press('ArrowRight');
  await waitForText(page, 'cf-counter', /^step 2 of 4$/);
  assert.match(await text(page, 'cf-kept-left'), /^Kept: \{balance: 30\}/);
  assert.match(await text(page, 'cf-discarded-left'), /^Discarded: SG's write \{balance: 20\}/);
  assert.match(await text(page, 'cf-discarded-right'), /^Discarded: nothing/);
  assert.match(page.url(), /view=conflicts&example=wallet&step=2&a=lww&b=pn-counter/);
  await page.keyboard.press('End');
  await waitForText(page, 'cf-counter', /^step 4 of 4$/);
  assert.match(await text(page, 'cf-outcome-right'), /Converged result: balance -50/);
  await page.keyboard.press('ArrowLeft');
  await waitForText(page, 'cf-counter', /^step 3 of 4$/);
  await page.keyboard.press('Home');
  await waitForText(page, 'cf-counter', /^step 1 of 4$/);

  // Escrow on the right: one merge; the left column keeps its four steps.
  await page.getByTestId('cf-b').selectOption('escrow');
  await page.getByTestId('cf-stepper').focus();
  await page.keyboard.press('End');
  await waitForText(page, 'cf-counter', /^step 4 of 4$/);
  assert.match(await text(page, 'cf-merge-right'), /made 1 merge; nothing more happens/);
  assert.match(await text(page, 'cf-outcome-right'), /Nothing lost: .*refused/);
  assert.match(page.url(), /step=4&a=lww&b=escrow/);
  await page.keyboard.press('ArrowLeft');
  await waitForText(page, 'cf-counter', /^step 3 of 4$/);
  await page.screenshot({ path: join(SHOTS, 'conflicts-wallet.png'), fullPage: true });

  // A link reproduces the view.
  const again = await site.open(new URL(page.url()).search, 'cf-counter');
  assert.equal(await text(again.page, 'cf-counter'), 'step 3 of 4');
  assert.equal(await again.page.getByTestId('cf-b').inputValue(), 'escrow');
  assert.deepEqual([...problems, ...again.problems], []);
  await again.page.close();
  await page.close();
});

test('bad PBS and Conflicts parameters are named and fall back to their defaults', async () => {
  const pbs = await site.open('?view=pbs&preset=ssd&n=3&r=5&target=2', 'pbs-t-target');
  const banner = await text(pbs.page, 'url-error');
  assert.match(banner, /'preset': unknown latency fit 'ssd'; allowed: lnkd-ssd, lnkd-disk, ymmr, wan/);
  assert.match(banner, /'target': target '2'/);
  assert.match(banner, /'r': R '5': expected a whole number from 1 to N \(3\)/);
  assert.equal(await pbs.page.getByTestId('pbs-preset').inputValue(), 'lnkd-disk');
  assert.equal(await pbs.page.getByTestId('pbs-r').inputValue(), '1');
  const cf = await site.open('?view=conflicts&example=cart&a=escrow&step=99', 'cf-counter');
  const cfBanner = await text(cf.page, 'url-error');
  assert.match(cfBanner, /'a': strategy 'escrow' is not one of cart's; allowed: or-set, lww-set/);
  assert.match(cfBanner, /'step': step 99 is past the last step \(1\)/);
  assert.equal(await text(cf.page, 'cf-counter'), 'step 1 of 1');
  assert.deepEqual([...pbs.problems, ...cf.problems], []);
  await pbs.page.close();
  await cf.page.close();
});
