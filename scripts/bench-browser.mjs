// The page's timing harness in headless Chromium, from the command line: opens the built site
// (dist/), presses "Measure this browser" ROUNDS times and prints each result. Each round times the
// Kata 86 model and the engine presets after a warm-up (see web/src/timing.rs).
//
//   make bench-browser            (builds the site first)
//   node scripts/bench-browser.mjs [ROUNDS]     (default 3; needs a built dist/)
import { serveDist, launchChromium } from '../tests/support/site.mjs';

const rounds = Number.parseInt(process.argv[2] ?? '3', 10);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`error: ROUNDS must be a whole number of at least 1, not '${process.argv[2]}'`);
  process.exit(2);
}

const { server, baseUrl } = await serveDist();
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(baseUrl);
  const button = page.getByTestId('bench-button');
  await button.waitFor();
  console.log(`${await browser.version()}, ${rounds} round(s)`);
  for (let round = 1; round <= rounds; round++) {
    await button.click();
    // The button is disabled while the panel runs; the result block is marked done at the end.
    await page.locator('[data-testid="bench-result"][data-running="true"]').waitFor({ timeout: 10_000 });
    const done = page.locator('[data-testid="bench-result"][data-running="false"]');
    await done.waitFor({ timeout: 120_000 });
    console.log(`== round ${round}\n${await done.innerText()}`);
  }
} finally {
  await browser.close();
  server.close();
}
