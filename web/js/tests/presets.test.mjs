// The npm package for Node (`wasm-pack build --target nodejs`, in web/js/pkg-node) gives the
// CLI's figures: every preset's report from `simulate` equals `meridian run PRESET --json` (the
// golden reports in tests/fixtures/golden, and the CLI binary's own output when it has been
// built), by name and as an object; `pbs` equals `meridian pbs --json` for each latency preset;
// `kata86` equals the exercise's reference figures and the pinned full report.
//
// Run by `make js-test` after the package is built; on its own: `node --test web/js/tests/`.
// MERIDIAN_JS_PKG names another package folder; MERIDIAN_CLI names the `meridian` binary
// (default: target/debug/meridian or target/release/meridian, when built).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const pkg = resolve(process.env.MERIDIAN_JS_PKG ?? join(here, '../pkg-node'));
const meridian = createRequire(import.meta.url)(join(pkg, 'meridian_js.js'));
const fixtures = join(root, 'tests/fixtures');
const golden = (name) => JSON.parse(readFileSync(join(fixtures, 'golden', `${name}.json`), 'utf8'));

/** The `meridian` binary to compare with, if one has been built. */
function cli() {
  if (process.env.MERIDIAN_CLI) return process.env.MERIDIAN_CLI;
  const target = resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');
  return ['debug', 'release'].map((p) => join(target, p, 'meridian')).find((p) => existsSync(p));
}

const presets = meridian.presets();

test('every shipped preset is listed, with its document as text and as an object', () => {
  const names = execFileSync('ls', [join(root, 'core/presets')], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.toml'))
    .map((f) => f.replace(/\.toml$/, ''))
    .sort();
  assert.deepEqual(presets.map((p) => p.name).sort(), names);
  for (const p of presets) {
    assert.equal(p.scenario.name, p.name);
    assert.match(p.toml, /duration_s/);
  }
});

for (const p of presets) {
  test(`simulate('${p.name}') equals meridian run ${p.name} --json`, () => {
    const want = golden(p.name);
    assert.deepStrictEqual(meridian.simulate(p.name), want);
    // The same document as an object, and as TOML text.
    assert.deepStrictEqual(meridian.simulate(p.scenario), want);
    assert.deepStrictEqual(meridian.simulate(p.toml), want);
  });
}

test('the figures equal the CLI binary\'s output for every preset', (t) => {
  const bin = cli();
  if (!bin) {
    t.skip('no meridian binary built (cargo build -p meridian-core --features cli)');
    return;
  }
  for (const p of presets) {
    const printed = JSON.parse(execFileSync(bin, ['run', p.name, '--json'], { encoding: 'utf8' }));
    assert.deepStrictEqual(meridian.simulate(p.name), printed, p.name);
  }
});

test('a report with histograms equals meridian run --json --histograms', () => {
  const got = meridian.simulate('aws8-single-leader', { histograms: true });
  assert.deepStrictEqual(got, golden('aws8-single-leader.histograms'));
});

for (const preset of ['lnkd-ssd', 'lnkd-disk', 'ymmr', 'wan']) {
  test(`pbs({ preset: '${preset}' }) equals meridian pbs --preset ${preset} --json`, () => {
    const got = meridian.pbs({ preset, n: 3, r: 1, w: 1, trials: 20000 });
    assert.deepStrictEqual(got, golden(`pbs-${preset}`));
  });
}

test('kata86 gives the exercise\'s reference figures and the pinned full report', () => {
  const lines = readFileSync(join(fixtures, 'kata86_reference.jsonl'), 'utf8').trim().split('\n');
  for (const line of lines) {
    const { result, ...params } = JSON.parse(line);
    assert.deepStrictEqual(meridian.kata86(params), result, line);
  }
  assert.ok(lines.length >= 900);
  const full = JSON.parse(readFileSync(join(fixtures, 'kata86_report_us_fallback_seed2024.json'), 'utf8'));
  const params = { iterations: 200000, client: 'US', strategy: 'local_then_leader_if_stale', seed: 2024 };
  assert.deepStrictEqual(meridian.kata86(params, { full: true }), full);
});

test('errors are thrown Errors naming the field, never crashes', () => {
  const scenario = structuredClone(presets[0].scenario);
  scenario.replication.leader = 'EU';
  assert.throws(() => meridian.simulate(scenario), (e) => e instanceof Error && e.path === 'replication.leader');
  assert.throws(() => meridian.simulate('nope'), /unknown preset 'nope'/);
  assert.throws(() => meridian.pbs({ r: 9 }), (e) => e.path === 'r' && /invalid PBS parameters: r = 9/.test(e.message));
  assert.throws(() => meridian.kata86({ client: 'EU' }), (e) => e.path === 'client');
  assert.throws(() => meridian.merge('nope'), /unknown example 'nope'/);
  assert.throws(() => meridian.simulate(presets[0].name, { seed: 2n ** 64n }), (e) => e.path === 'options.seed');
  let deep = { kind: 'lww_hlc' };
  for (let i = 0; i < 100000; i++) deep = { kind: 'insert_wins', inner: deep };
  const v = { value: { fields: {} }, hlc: { physical_us: 1, logical: 0, node: 1 }, physical_us: 1, id: { origin: 'SG', seq: 1 }, vv: { SG: 1 } };
  assert.throws(() => meridian.merge([v, v], deep), /nested more than 64 levels deep/);
  const cyclic = { name: 'loop' };
  cyclic.self = cyclic;
  assert.throws(() => meridian.validate(cyclic) && meridian.simulate(cyclic), /contains itself/);
  // Still usable after every error.
  assert.equal(meridian.simulate(presets[0].name, { duration: 1 }).duration_s, 1);
});

test('onProgress reports simulated time up to the arrival period', () => {
  const calls = [];
  meridian.simulate('sg-us-wallet', { duration: 5, onProgress: (done, total) => calls.push([done, total]) });
  assert.ok(calls.length > 100);
  assert.deepEqual(calls.at(-1), [5000, 5000]);
  const trials = [];
  meridian.pbs({ trials: 200000 }, { onProgress: (done, total) => trials.push([done, total]) });
  assert.deepEqual(trials.at(-1), [200000, 200000]);
});

test('the example prints a preset\'s p95s', () => {
  const out = execFileSync(process.execPath, [join(here, '../examples/p95.mjs'), 'sg-us-partition', '3'], {
    encoding: 'utf8',
    env: { ...process.env, MERIDIAN_JS_PKG: pkg },
  });
  assert.match(out, /^sg-us-partition · seed 3 · \d+ events$/m);
  assert.match(out, /^p95 read latency +\d+\.\d ms$/m);
  assert.match(out, /clients homed in US: read /);
});
