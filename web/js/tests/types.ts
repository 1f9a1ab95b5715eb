// Type test of the package's TypeScript declarations (src/types.d.ts as packaged): typical uses
// type-check under --strict with the declared result types, and misuses are type errors. Checked
// by `make js-test` with `tsc --noEmit` against pkg-node; nothing here is run.
import {
  kata86,
  merge,
  pbs,
  presets,
  simulate,
  validate,
  type Kata86Report,
  type Kata86Result,
  type MergeResult,
  type PbsReport,
  type Report,
  type Scenario,
  type Walkthrough,
} from '../pkg-node/meridian_js.js';

const report: Report = simulate('sg-us-wallet', {
  seed: 7,
  duration: 30,
  faults: ['region-down SG at 5s for 10s'],
  histograms: true,
  onProgress: (done: number, total: number) => void (done / total),
});
const p95: number = report.read_latency.p95 + report.regions[0].staleness.p99;
const rto: number | null = report.slos[0].measured_ms;
const bars: number = report.histograms?.read_latency.overall.length ?? 0;

const scenario: Scenario = presets()[0].scenario;
scenario.workload.read_fraction = 0.5;
const checked = validate(scenario);
const named: string = checked.ok ? checked.scenario.name : `${checked.message} at ${checked.path ?? '-'}`;

const figures: Kata86Result = kata86({ client: 'US', strategy: 'local_then_leader_if_stale' });
const full: Kata86Report = kata86({ iterations: 1000 }, { full: true });
const staleness: number = figures.stalenessP99 + full.staleness.p95;

const quorum: PbsReport = pbs({ preset: 'ymmr', n: 3, r: 1, w: 1, t_ms: [0, 10] }, { onProgress: () => {} });
const walk: Walkthrough = merge('wallet');
const merged: MergeResult = merge([], { kind: 'insert_wins', inner: { kind: 'source_priority', order: ['SG'] } });

export const used = [p95, rto, bars, named, staleness, quorum.t_for_target_ms, walk.outcomes, merged.traces];

// @ts-expect-error a misspelt option
simulate('sg-us-wallet', { sed: 1 });
// @ts-expect-error no such PBS preset
pbs({ preset: 'tape' });
// @ts-expect-error the four figures have no percentiles
kata86().staleness;
// @ts-expect-error versions need a resolver
merge([]);
// @ts-expect-error no such example
merge('shopping');
