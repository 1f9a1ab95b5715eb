// The TypeScript types of meridian-js's inputs and outputs, added to the declarations
// wasm-bindgen generates (see src/lib.rs). The objects are the JSON the `meridian` CLI reads and
// prints, so field names are snake_case as in the scenario files and the CLI's reports (Kata 86's
// four figures are camelCase, as in the exercise). Times are milliseconds unless a name says `_s`.
// Whole numbers above 2^53 - 1 (seeds) may be given as a BigInt.

/** A called progress update: work done so far and in all (simulated ms, iterations or trials). */
export type ProgressCallback = (done: number, total: number) => void;

// ----- scenario documents -----

/** A delay distribution, in milliseconds. */
export type Dist =
  | { kind: "constant"; ms: number }
  | { kind: "uniform"; min_ms: number; max_ms: number }
  | { kind: "normal"; mean_ms: number; std_ms: number }
  | { kind: "log_normal"; median_ms: number; sigma: number }
  | { kind: "exponential"; mean_ms: number }
  | { kind: "pareto"; scale_ms: number; shape: number }
  | { kind: "mixture"; components: { weight: number; dist: Dist }[] };

/** A region of the topology. */
export interface RegionSpec {
  id: string;
  name?: string;
  lat?: number;
  lon?: number;
  [setting: string]: unknown;
}

/** The regions, the links between them and the round trip inside a region. */
export interface TopologySpec {
  regions: RegionSpec[];
  links: { a: string; b: string; rtt: Dist; [setting: string]: unknown }[];
  intra_region_rtt?: Dist;
}

/** A client population and the region it is homed in. */
export interface ClientSpec {
  name: string;
  home: string;
  weight: number;
  access_rtt: Dist;
  lat?: number;
  lon?: number;
  failover?: string[];
}

/** An objective on a percentile of a metric (or RTO/RPO), overall or for one home region. */
export interface SloSpec {
  metric: "read_latency" | "write_latency" | "staleness" | "rto" | "rpo";
  percentile?: number;
  below_ms: number;
  region?: string;
}

/** One entry of the fault schedule (`kind` and its settings, as in the scenario files). */
export interface FaultSpec {
  at_s: number;
  for_s?: number;
  kind: string;
  [setting: string]: unknown;
}

/**
 * A scenario document: what a `.toml` or `.json` scenario file holds. Sections with many kinds
 * (replication, read strategy, entities, failover) are typed loosely here; `meridian presets
 * --show NAME` and `presets()` show complete examples, and `validate()` names any field it
 * refuses.
 */
export interface Scenario {
  name: string;
  description?: string;
  seed?: number | bigint;
  duration_s: number;
  topology: TopologySpec;
  clients: ClientSpec[];
  workload: {
    requests_per_s: number;
    read_fraction: number;
    keys: number;
    popularity?: { kind: string; [setting: string]: unknown };
    sessions_per_client?: number;
    [setting: string]: unknown;
  };
  replication: { mode: "single_leader" | "multi_leader" | "partitioned" | "quorum" | string; [setting: string]: unknown };
  reads?: { strategy?: { kind: string; [setting: string]: unknown }; deadline_ms?: number; [setting: string]: unknown };
  writes?: { [setting: string]: unknown };
  slos?: SloSpec[];
  entities?: { name: string; share: number; policy: unknown; [setting: string]: unknown }[];
  faults?: FaultSpec[];
  failover?: { [setting: string]: unknown };
  timeline?: { interval_s: number };
  lww_clock?: string;
}

/** The options of `simulate`: the CLI's overrides of `meridian run`. */
export interface SimulateOptions {
  /** Replaces the scenario's seed (`--seed`). */
  seed?: number | bigint;
  /** Replaces the arrival period, simulated seconds (`--duration`). */
  duration?: number;
  /** Faults added to the schedule, as the CLI's `--fault` takes them, e.g. "region-down SG at 20s for 30s". */
  faults?: string[];
  /** Adds the bars behind the figures (`--histograms`). */
  histograms?: boolean;
  /** Called about 1,000 times with simulated ms of the arrival period done and in all. */
  onProgress?: ProgressCallback;
}

/** The options of `kata86` and `pbs`. */
export interface RunOptions {
  /** `kata86` only: return the whole report instead of the four figures. */
  full?: boolean;
  /** Called with iterations (kata86) or trials (pbs) done and in all. */
  onProgress?: ProgressCallback;
}

/** What `validate` says about a scenario. */
export type Validation =
  | { ok: true; scenario: Scenario }
  | { ok: false; message: string; path?: string };

/** A shipped scenario. */
export interface PresetInfo {
  name: string;
  summary: string;
  /** The document, as `meridian presets --show NAME` prints it. */
  toml: string;
  /** The same document as an object, every default filled in. */
  scenario: Scenario;
}

// ----- the report of `meridian run --json` -----

/** The figures of a distribution: ms for latencies and staleness, versions for `versions_behind`. */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Event counts of a run. */
export interface Counters {
  reads: number;
  writes: number;
  stale_reads: number;
  fallback_reads: number;
  waited_reads: number;
  read_your_writes_violations: number;
  monotonic_read_violations: number;
  conflicts: number;
  discarded_by_lww: number;
  overwritten_by_lww: number;
  write_timeouts: number;
  write_retries: number;
  write_failures: number;
  idempotent_retries: number;
  duplicate_applies: number;
  batch_retries: number;
  batch_drops: number;
  buffer_drops: number;
  writes_lost_in_transit: number;
}

/** The figures of the clients homed in one region. */
export interface RegionReport {
  region: string;
  read_latency: Summary;
  write_latency: Summary;
  staleness: Summary;
}

/** One SLO's verdict; `measured_ms` is null when it never recovered (RTO). */
export interface SloVerdict {
  label: string;
  measured_ms: number | null;
  below_ms: number;
  pass: boolean;
  samples: number;
}

/** Conflicts and wallet invariants of one entity type. */
export interface EntityReport {
  name: string;
  policy: string;
  keys: number;
  writes: number;
  conflicts: number;
  discarded_writes: number;
  accepted_charges: number;
  refused_charges: number;
  overspent_wallets: number;
  overspent_amount: number;
  wallets_with_lost_charges: number;
  lost_charge_amount: number;
}

/** One histogram bar: `[bar index, count]`. */
export type Bar = [number, number];

/** The bars of one metric: overall and per home region, `width_us` microseconds wide. */
export interface MetricBins {
  width_us: number;
  overall: Bar[];
  regions: Bar[][];
}

/** Faults, failover, RTO/RPO and the timeline of a run with faults. */
export interface FailureReport {
  policy: string;
  faults: {
    label: string;
    kind: string;
    start_s: number;
    end_s: number | null;
    detected_s: number | null;
    rto_write_ms: number | null;
    rto_slo_ms: number | null;
    writes_lost_to_outage: number;
  }[];
  rpo: { lost_writes: number; lost_amount: number; window_ms: number };
  split_brain_ms: number;
  counters: { [counter: string]: number };
  log: { at_s: number; what: string }[];
  anomalies: { kind: string; at_s: number; key: number; client: string; expected: string; seen: string }[];
  interval_s: number;
  timeline: { start_s: number; [figure: string]: unknown }[];
}

/** The report `meridian run SCENARIO --json` prints. */
export interface Report {
  scenario: string;
  seed: number;
  duration_s: number;
  simulated_s: number;
  events: number;
  read_latency: Summary;
  write_latency: Summary;
  staleness: Summary;
  /** Versions behind per read: a count, not milliseconds. */
  versions_behind: Summary;
  regions: RegionReport[];
  counters: Counters;
  slos: SloVerdict[];
  entities: EntityReport[];
  /** Present when the scenario has faults. */
  failures?: FailureReport;
  /** Present with `histograms: true`. */
  histograms?: { read_latency: MetricBins; write_latency: MetricBins; staleness: MetricBins };
}

// ----- Kata 86 -----

/** Kata 86's regions. */
export type Kata86Region = "SG" | "US";

/** The parameters of `kata86`, each optional (the CLI's defaults). */
export interface Kata86Params {
  iterations?: number;
  client?: Kata86Region;
  leader?: Kata86Region;
  strategy?: "local" | "leader" | "local_then_leader_if_stale";
  seed?: number;
  accounting?: "replica_lag" | "served_read";
  config?: {
    rtt_client_to_sg_ms?: number;
    rtt_client_to_us_ms?: number;
    rtt_between_regions_ms?: number;
    replication_base_ms?: number;
    replication_jitter_ms?: number;
  };
}

/** What `meridian kata86 --json` prints, ms. */
export interface Kata86Result {
  readP95: number;
  writeP95: number;
  stalenessP95: number;
  stalenessP99: number;
}

/** The whole Kata 86 report (`kata86(params, { full: true })`). */
export interface Kata86Report {
  params: Required<Kata86Params>;
  iterations_done: number;
  summary: Kata86Result;
  /** Percentiles by the exercise's rule (whole ms). */
  read_latency: Summary;
  write_latency: Summary;
  staleness: Summary;
  leader_reads: number;
  fallback_reads: number;
  reads_over_threshold: number;
  read_histogram: { lo: number; hi: number; count: number }[];
  staleness_histogram: { lo: number; hi: number; count: number }[];
}

// ----- PBS -----

/** The paper's latency fits. */
export type PbsPreset = "lnkd-ssd" | "lnkd-disk" | "ymmr" | "wan";

/** The WARS legs: write, ack, read and response delays. */
export interface WarsLegs {
  w: Dist;
  a: Dist;
  r: Dist;
  s: Dist;
  /** Extra one-way delay to remote replicas, ms. */
  remote_delay_ms?: number;
}

/** The parameters of `pbs`, each optional (the CLI's defaults). */
export interface PbsParams {
  preset?: PbsPreset;
  /** Latency fits of your own instead of a preset. */
  legs?: WarsLegs;
  n?: number;
  r?: number;
  w?: number;
  trials?: number;
  seed?: number | bigint;
  t_ms?: number[];
  target?: number;
}

/** What `meridian pbs --json` prints. */
export interface PbsReport {
  n: number;
  r: number;
  w: number;
  strict_quorum: boolean;
  trials: number;
  seed: number;
  legs: WarsLegs;
  consistency: { t_ms: number; p_consistent: number }[];
  target: number;
  t_for_target_ms: number;
  k_staleness: { k: number; p_within_k: number }[];
  read_latency_ms: Summary;
  write_latency_ms: Summary;
}

// ----- merges -----

/** The built-in conflict walkthroughs. */
export type MergeExample = "profile" | "wallet" | "cart" | "clock-skew";

/** A field's value. */
export type FieldValue =
  | { text: string }
  | { int: number }
  | { set: string[] }
  | { counter: { added?: { [region: string]: number }; subtracted?: { [region: string]: number } } }
  | "deleted";

/** A hybrid-logical-clock timestamp. */
export interface Hlc {
  physical_us: number;
  logical: number;
  node: number;
}

/** A version of a record with what decides its conflicts (core's `Versioned`). */
export interface Version {
  value: { fields: { [name: string]: FieldValue }; deleted?: boolean };
  hlc: Hlc;
  /** The writer's wall clock at the write, µs. */
  physical_us: number;
  id: { origin: string; seq: number };
  /** Per origin region, the writes this version has seen. */
  vv: { [region: string]: number };
  /** Per field, the clock of its last change when it differs from `hlc`. */
  field_hlc?: { [name: string]: Hlc };
}

/** How one field is merged by `field_merge`. */
export type FieldRule = "lww" | "max" | "min" | "counter_sum" | "union" | "keep_local" | "keep_remote";

/** A conflict-resolution strategy. */
export type ResolverSpec =
  | { kind: "lww_hlc" }
  | { kind: "lww_physical" }
  | { kind: "field_merge"; rules?: { [field: string]: FieldRule }; default?: FieldRule }
  | { kind: "source_priority"; order: string[] }
  | { kind: "insert_wins"; inner: ResolverSpec };

/** The strategies that can be named alone. */
export type ResolverName = "lww_hlc" | "lww_physical" | "field_merge";

/** One merge, explained. */
export interface MergeTrace {
  title: string;
  inputs: { source: string; value: string; clock: string }[];
  steps: { subject: string; decision: string; reason: string }[];
  result: string;
  discarded: string[];
}

/** What `meridian merge NAME --json` prints. */
export interface Walkthrough {
  name: string;
  story: string;
  outcomes: {
    key: string;
    strategy: string;
    traces: MergeTrace[];
    result: string;
    verdict: string;
    lost_data: boolean;
  }[];
}

/** The merge of versions of your own. */
export interface MergeResult {
  /** The strategy's name, e.g. "last-write-wins (HLC)". */
  resolver: string;
  merged: Version;
  /** One per version after the first. */
  traces: MergeTrace[];
}

// ----- the functions -----

/**
 * Runs a scenario like `meridian run SCENARIO --json` and returns the report the CLI prints.
 *
 * @param scenario A scenario object, the text of a TOML or JSON document (JSON when it starts
 *   with `{`), or a preset's name (see `presets()`).
 * @param options The CLI's overrides (`seed`, `duration`, `faults`, `histograms`) and
 *   `onProgress(done, total)` in simulated ms; an exception it throws stops the run.
 * @throws Error naming the field (`message`, and `path` such as `topology.regions[0].lat`).
 */
export function simulate(scenario: Scenario | string, options?: SimulateOptions): Report;

/**
 * Checks a scenario without running it; never throws. Gives the scenario as read (defaults
 * filled in), or the message `simulate` would throw and the field's path.
 */
export function validate(scenario: Scenario | string): Validation;

/**
 * Runs the Kata 86 model like `meridian kata86 --json`: the four figures, or with
 * `{ full: true }` the whole report.
 * @throws Error naming the parameter (`message` and `path`).
 */
export function kata86(params?: Kata86Params, options?: RunOptions & { full?: false }): Kata86Result;
export function kata86(params: Kata86Params | undefined, options: RunOptions & { full: true }): Kata86Report;

/**
 * Runs Probabilistically Bounded Staleness (WARS) like `meridian pbs --json`.
 * @throws Error naming the parameter (`message` and `path`, e.g. `t_ms[2]`).
 */
export function pbs(params?: PbsParams, options?: RunOptions): PbsReport;

/** A built-in conflict walkthrough, as `meridian merge NAME --json` prints it. */
export function merge(example: MergeExample): Walkthrough;
/**
 * Merges versions of your own left to right with `resolver`, explaining each merge.
 * @throws Error naming the field (`versions[1].hlc.logical`, `resolver`, ...).
 */
export function merge(versions: Version[], resolver: ResolverSpec | ResolverName): MergeResult;

/** The shipped scenarios, as `meridian presets` lists them, with their documents. */
export function presets(): PresetInfo[];
