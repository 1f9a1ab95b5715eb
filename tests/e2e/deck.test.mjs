// End-to-end walk over decks and presentation mode in headless Chromium: build a deck of three
// slides (a Scenario run, a PBS quorum, a failure drill) across views, copy its link, open the
// link in a fresh page, present it with the keyboard and check each slide's figures against what
// the views showed while the deck was built and against the golden reports; download the deck
// as JSON and read it back into an empty page; refuse a damaged deck file without losing the
// deck; open a built-in deck. Any console error fails the test. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
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

/** The Scenario view's headline figures once its run is done. */
async function scenarioFigures(page, preset) {
  await page.waitForFunction((p) => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes(p), preset);
  const out = {};
  for (const id of ['sc-read-p95', 'sc-write-p95', 'sc-staleness-p95', 'sc-tallies']) out[id] = await text(page, id);
  return out;
}

/** The PBS view's figures once its run is done. */
async function pbsFigures(page) {
  await page.getByTestId('pbs-t-target').waitFor();
  await page.waitForFunction(() => /consistent after/.test(document.querySelector('[data-testid="pbs-t-target"]')?.innerText ?? ''));
  return { quorum: await text(page, 'pbs-quorum'), closed: await text(page, 'pbs-closed-t0') };
}

async function addSlide(page, count) {
  if (!(await page.getByTestId('deck-add').isVisible())) await page.getByTestId('deck-summary').click();
  await page.getByTestId('deck-add').click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="deck-summary"]')?.innerText === `Deck (${n})`, count);
}

test('build a deck of three slides, share its link, present it with the keyboard', async () => {
  const { page, problems } = await site.open('?view=scenario&preset=sg-down-reject', 'sc-read-p95');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const scenario = await scenarioFigures(page, 'sg-down-reject');
  await addSlide(page, 1);
  assert.match(page.url(), /view=scenario&preset=sg-down-reject&seed=1&duration=\d+&deck=[A-Za-z0-9_-]+&slide=1$/);
  assert.equal(await page.getByTestId('deck-slide-1').locator('input').inputValue(), 'Scenarios · sg-down-reject');

  // The deck goes along to the PBS view, where R becomes 2 before the view is added.
  await page.getByTestId('nav-pbs').click();
  await page.getByTestId('pbs-r').waitFor();
  assert.equal(await text(page, 'deck-summary'), 'Deck (1)');
  await page.getByTestId('pbs-r').fill('2');
  await page.waitForFunction(() => document.querySelector('[data-testid="pbs-quorum"]')?.innerText.includes('R=2'));
  const pbs = await pbsFigures(page);
  await addSlide(page, 2);

  await page.getByTestId('nav-drill').click();
  await page.getByTestId('drill-timeline').waitFor();
  await addSlide(page, 3);
  await page.getByTestId('deck-slide-3').locator('input').fill('SG down, US promoted');
  await page.getByTestId('deck-slide-3').locator('input').press('Enter');
  await page.getByTestId('deck-title').fill('Design review');
  await page.getByTestId('deck-title').press('Tab');
  await page.screenshot({ path: join(SHOTS, 'deck-built.png'), fullPage: false });

  await page.getByTestId('copy-link').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-link-status"]')?.innerText.includes('copied'));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /deck=[A-Za-z0-9_-]+&slide=3$/);

  // A fresh page from the link: the deck, and the view it was copied on.
  const fresh = await site.open(new URL(link).search, 'drill-timeline');
  const p2 = fresh.page;
  assert.equal(await text(p2, 'deck-summary'), 'Deck (3)');
  await p2.getByTestId('deck-summary').click();
  assert.equal(await p2.getByTestId('deck-slide-3').locator('input').inputValue(), 'SG down, US promoted');
  assert.equal(await p2.getByTestId('deck-title').inputValue(), 'Design review');
  await p2.getByTestId('deck-present').click();

  await p2.getByTestId('presenting').waitFor();
  assert.equal(await text(p2, 'slide-counter'), '1 / 3');
  assert.equal(await text(p2, 'slide-title'), 'Scenarios · sg-down-reject');
  assert.deepEqual(await scenarioFigures(p2, 'sg-down-reject'), scenario);
  const reject = await golden('sg-down-reject');
  const shownP95 = asMs(await p2.getByTestId('sc-read-p95').locator('.tile-value').innerText());
  assert.ok(Math.abs(shownP95 - reject.read_latency.p95) <= 0.05 + 1e-9, `${shownP95} vs ${reject.read_latency.p95}`);
  await p2.screenshot({ path: join(SHOTS, 'deck-slide-1.png'), fullPage: false });

  await p2.keyboard.press('ArrowRight');
  await p2.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]')?.innerText === '2 / 3');
  assert.equal(await text(p2, 'slide-title'), 'PBS · N=3 R=2 W=1');
  assert.deepEqual(await pbsFigures(p2), pbs);

  await p2.keyboard.press(' ');
  await p2.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]')?.innerText === '3 / 3');
  assert.equal(await text(p2, 'slide-title'), 'SG down, US promoted');
  await p2.getByTestId('drill-policies').waitFor();
  const promote = await golden('sg-down-promote');
  const fault = promote.failures.faults[0];
  assert.ok(Math.abs(asMs(await text(p2, 'drill-rto-write-0')) - fault.rto_write_ms) < 1);
  assert.equal(await text(p2, 'drill-rpo'), String(promote.failures.rpo.lost_writes));
  await p2.screenshot({ path: join(SHOTS, 'deck-slide-3.png'), fullPage: false });

  // Past the end stays on the last slide; PageUp goes back; Esc leaves.
  await p2.keyboard.press('PageDown');
  assert.equal(await text(p2, 'slide-counter'), '3 / 3');
  await p2.keyboard.press('PageUp');
  await p2.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]')?.innerText === '2 / 3');
  await p2.keyboard.press('Home');
  await p2.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]')?.innerText === '1 / 3');
  await p2.keyboard.press('Escape');
  await p2.getByTestId('deck-summary').waitFor();
  assert.equal(await p2.getByTestId('presenting').count(), 0);
  assert.match(p2.url(), /view=scenario&preset=sg-down-reject.*&slide=1$/);
  assert.deepEqual(problems, []);
  assert.deepEqual(fresh.problems, []);
  await p2.close();
  await page.close();
});

test('a deck downloads as JSON, reads back into an empty page, and a damaged file is refused', async () => {
  const { page, problems } = await site.open('?view=pbs&n=3&r=1&w=1', 'pbs-t-target');
  await addSlide(page, 1);
  await page.getByTestId('pbs-w').fill('2');
  await page.waitForFunction(() => document.querySelector('[data-testid="pbs-quorum"]')?.innerText.includes('W=2'));
  await addSlide(page, 2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('deck-export').click()]);
  assert.equal(download.suggestedFilename(), 'meridian-deck.json');
  const file = await download.path();
  const deck = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(deck.meridian_deck, 1);
  assert.deepEqual(deck.slides.map((s) => s.title), ['PBS · N=3 R=1 W=1', 'PBS · N=3 R=1 W=2']);
  assert.match(deck.slides[1].link, /^\?v=1&view=pbs&.*w=2/);

  const empty = await site.open('?view=kata86', 'read-p95');
  await empty.page.getByTestId('deck-summary').click();
  await empty.page.getByTestId('deck-import').setInputFiles(file);
  await empty.page.waitForFunction(() => document.querySelector('[data-testid="deck-summary"]')?.innerText === 'Deck (2)');
  assert.equal(await text(empty.page, 'deck-notice'), 'Read a deck of 2 slides.');
  assert.match(empty.page.url(), /view=kata86.*&deck=/);

  const broken = join(SHOTS, 'broken.deck.json');
  deck.slides[1].link = '?view=pbs&r=9';
  await writeFile(broken, JSON.stringify(deck));
  await empty.page.getByTestId('deck-import').setInputFiles(broken);
  await empty.page.waitForFunction(() => document.querySelector('[data-testid="deck-notice"]')?.innerText.startsWith('The deck was not read'));
  assert.match(await text(empty.page, 'deck-notice'), /broken\.deck\.json: slide 2 \('PBS · N=3 R=1 W=2'\): .*'r': R '9'/);
  assert.equal(await text(empty.page, 'deck-summary'), 'Deck (2)');
  assert.deepEqual(problems, []);
  assert.deepEqual(empty.problems, []);
  await empty.page.close();
  await page.close();
});

test('a built-in deck opens on its first slide and presents; a damaged deck address is named', async () => {
  const { page, problems } = await site.open('?view=kata86', 'read-p95');
  await page.getByTestId('deck-summary').click();
  await page.getByTestId('deck-builtin-sg-down').click();
  await page.getByTestId('drill-timeline').waitFor();
  assert.equal(await text(page, 'deck-summary'), 'Deck (4)');
  await page.getByTestId('deck-summary').click();
  await page.getByTestId('deck-present').click();
  assert.equal(await text(page, 'slide-counter'), '1 / 4');
  await page.getByTestId('slide-next').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]')?.innerText === '2 / 4');
  await page.getByTestId('drill-timeline').waitFor();
  await page.getByTestId('slide-leave').click();
  await page.getByTestId('deck-summary').waitFor();

  const bad = await site.open('?view=pbs&deck=AAAA&slide=2', 'pbs-t-target');
  assert.match(await text(bad.page, 'url-error'), /'deck': the packed document is damaged or cut short; the deck is left out/);
  assert.equal(await text(bad.page, 'deck-summary'), 'Deck (0)');
  assert.deepEqual(problems, []);
  assert.deepEqual(bad.problems, []);
  await bad.page.close();
  await page.close();
});
