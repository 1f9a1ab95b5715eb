// The page's weight, load time and responsiveness, measured in headless Chromium on the built
// site (dist/). A benchmark, not a test: it prints figures for the README.
//
//   make bench-page                          (builds the site first)
//   node scripts/bench-page.mjs [LOADS]      (default 5 warm loads; needs a built dist/)
//
// 1. Site weight: every file of dist/ raw and gzipped (level 9), and the first load's total.
// 2. First render from a warm cache: the page is opened once, then reloaded LOADS times; for each
//    load, the time from navigation start until the view's controls are on screen and until its
//    first figures are (the Kata 86 and Scenario views), median and range.
// 3. Responsiveness during a long run: aws8-single-leader for 500 simulated seconds (about one
//    million requests) in the Scenario view, with the Long Tasks API and a frame-gap probe
//    (requestAnimationFrame) watching from the first byte: the longest task, tasks over 100 ms,
//    the longest gap between frames, and how many progress updates were painted.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, serveDist, launchChromium } from '../tests/support/site.mjs';

const loads = Number.parseInt(process.argv[2] ?? '5', 10);
if (!Number.isInteger(loads) || loads < 1) {
  console.error(`error: LOADS must be a whole number of at least 1, not '${process.argv[2]}'`);
  process.exit(2);
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Weight.
const dist = join(ROOT, 'dist');
let raw = 0;
let gz = 0;
console.log('== site weight (dist/)');
for (const name of (await readdir(dist)).sort()) {
  const body = await readFile(join(dist, name));
  const packed = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gz += packed;
  console.log(`${name}: ${kb(body.length)} raw, ${kb(packed)} gzipped`);
}
console.log(`total: ${kb(raw)} raw, ${kb(gz)} gzipped (the first load fetches every file)`);

// Records, from the first byte of the page, when each watched test id first appears, every long
// task, the frame gaps, and the progress texts painted.
const PROBE = `
  window.__probe = { seen: {}, tasks: [], maxGap: 0, progress: new Set() };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__probe.tasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__probe.noLongTasks = String(e); }
  let last = 0;
  const frame = (t) => {
    if (last) window.__probe.maxGap = Math.max(window.__probe.maxGap, t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    for (const id of ['client', 'read-p95', 'sc-controls', 'sc-read-p95']) {
      if (!(id in window.__probe.seen) && document.querySelector('[data-testid="' + id + '"]')) {
        window.__probe.seen[id] = performance.now();
      }
    }
    const status = document.querySelector('[data-testid="sc-run-status"]');
    if (status) window.__probe.progress.add(status.innerText);
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;

const { server, baseUrl } = await serveDist();
const browser = await launchChromium();
try {
  console.log(`\n${await browser.version()}`);
  // 2. Warm loads.
  for (const [label, query, shell, figures] of [
    ['Kata 86 view', '?view=kata86', 'client', 'read-p95'],
    ['Scenario view (sg-us-wallet)', '?view=scenario', 'sc-controls', 'sc-read-p95'],
  ]) {
    const context = await browser.newContext();
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    await page.goto(baseUrl + query);
    await page.getByTestId(figures).waitFor();
    const shells = [];
    const firsts = [];
    for (let i = 0; i < loads; i++) {
      await page.reload();
      await page.getByTestId(figures).waitFor();
      const seen = await page.evaluate(() => window.__probe.seen);
      shells.push(seen[shell]);
      firsts.push(seen[figures]);
    }
    const range = (xs) => `median ${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
    console.log(`== ${label}, ${loads} warm loads: controls on screen ${range(shells)}; first figures ${range(firsts)}`);
    await context.close();
  }

  // 3. A long run, on a first visit (cold cache: the wasm is compiled on the way) and then again
  // from a warm cache.
  const context = await browser.newContext();
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  for (const visit of ['first visit, cold cache', 'again, warm cache']) {
    const started = Date.now();
    await page.goto(`${baseUrl}?view=scenario&preset=aws8-single-leader&duration=500`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sc-tallies"]')?.innerText.includes('500 s simulated'),
      null, { timeout: 600_000, polling: 500 });
    const wall = (Date.now() - started) / 1000;
    const tallies = await page.getByTestId('sc-tallies').innerText();
    const probe = await page.evaluate(() => ({
      tasks: window.__probe.tasks ?? [],
      maxGap: window.__probe.maxGap,
      progress: window.__probe.progress.size,
      controls: window.__probe.seen['sc-controls'],
      noLongTasks: window.__probe.noLongTasks,
    }));
    const reads = Number(/([\d,]+) reads/.exec(tallies)[1].replaceAll(',', ''));
    const writes = Number(/([\d,]+) writes/.exec(tallies)[1].replaceAll(',', ''));
    // Tasks that began before the view was on screen belong to loading the page, not to the run.
    const load = probe.tasks.filter(([start]) => start < probe.controls).map(([, d]) => d);
    const run = probe.tasks.filter(([start]) => start >= probe.controls).map(([, d]) => d);
    const longest = (xs) => `${Math.max(0, ...xs).toFixed(0)} ms`;
    console.log(`== aws8-single-leader, 500 s, ${visit}: ${(reads + writes).toLocaleString('en')} requests in ` +
      `${wall.toFixed(1)} s of wall time, ${probe.progress} progress updates painted`);
    if (probe.noLongTasks) console.log(`   (no Long Tasks API: ${probe.noLongTasks})`);
    console.log(`   loading: ${load.length} long task(s), longest ${longest(load)}; ` +
      `the run: ${run.length} long task(s) (> 50 ms), longest ${longest(run)}, over 100 ms: ${run.filter((d) => d > 100).length}; ` +
      `longest gap between frames ${probe.maxGap.toFixed(0)} ms`);
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
