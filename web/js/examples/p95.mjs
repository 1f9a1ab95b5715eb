// Runs a Meridian preset from Node and prints its p95s, overall and per home region.
//
//   node web/js/examples/p95.mjs [PRESET] [SEED]
//
// Needs the Node package: `make js-package` (or `wasm-pack build --release --target nodejs
// --out-dir pkg-node` in web/js); MERIDIAN_JS_PKG names another package folder. In a project of
// your own, `import { simulate } from 'meridian-js'` instead.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = process.env.MERIDIAN_JS_PKG ?? new URL('../pkg-node', import.meta.url).pathname;
const { presets, simulate } = require(join(pkg, 'meridian_js.js'));

const name = process.argv[2] ?? 'sg-us-wallet';
const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);

let shown = -1;
let report;
try {
  report = simulate(name, {
    seed,
    // Simulated milliseconds done and in all; on a terminal, show every 10%.
    onProgress: (done, total) => {
      if (!process.stderr.isTTY) return;
      const tenth = Math.floor((10 * done) / total);
      if (tenth > shown) {
        shown = tenth;
        process.stderr.write(`\r${name}: ${10 * tenth}% of simulated time`);
      }
    },
  });
} catch (e) {
  // A thrown Error names the field; `e.path` holds its path when there is one.
  console.error(`\n${e.message}`);
  console.error(`presets: ${presets().map((p) => p.name).join(', ')}`);
  process.exit(2);
}
if (shown >= 0) process.stderr.write('\n');

const ms = (x) => (x === null ? '-' : `${x.toFixed(1)} ms`);
console.log(`${report.scenario} · seed ${report.seed} · ${report.events} events`);
console.log(`p95 read latency   ${ms(report.read_latency.p95)}`);
console.log(`p95 write latency  ${ms(report.write_latency.p95)}`);
console.log(`p95 staleness      ${ms(report.staleness.p95)}`);
for (const r of report.regions) {
  if (r.read_latency.count + r.write_latency.count === 0) continue;
  console.log(
    `  clients homed in ${r.region}: read ${ms(r.read_latency.p95)} · write ${ms(r.write_latency.p95)} · staleness ${ms(r.staleness.p95)}`,
  );
}
for (const s of report.slos) {
  console.log(`SLO ${s.label}: ${s.samples === 0 ? 'not evaluated' : s.pass ? 'pass' : 'FAIL'}`);
}
