/** tmemsim's public face: re-exports only. */

export { run, simulate, type RunOptions } from './api.js';
export { openTrace, type FormatOptions } from './trace/reader.js';
export { convertTrace } from './trace/convert.js';
export type * from './trace/events.js';
export { buildReport, type Report, type ReportRun, type Delta } from './report/model.js';
export { FORMATS } from './report/formats.js';
export { PROFILES, getProfile, profileNames } from './profiles/registry.js';
export type { Profile } from './profiles/profile.js';
export { BACKENDS, getBackendFactory, backendNames } from './backends/registry.js';
export type { Backend, BackendFactory, BackendEnv, FrontswapOps, CleancacheOps } from './backends/backend.js';
export { COMPRESSORS, compressorNames } from './compressors/registry.js';
export type { Compressor } from './compressors/compressor.js';
export { UsageError, InvariantError } from './sim/errors.js';
export type { PassSummary } from './sim/summary.js';
export type { RunResult, ProfileRun } from './sim/simulate.js';
export { VERSION } from './version.js';
export { sweep, sweepWithSeries, readTrace, profiles, compare, type SweepCallOptions, type TraceReader } from './research.js';
export { runSweep, mergeSweeps, assemble, type SweepResult, type SweepRow, type SweepGroup, type SweepOutput } from './sweep/sweep.js';
export { expandGrid, configId, type SweepGrid, type SweepConfig, type Shard } from './sweep/grid.js';
export { SWEEP_FORMATS } from './sweep/format.js';
export { METRIC_KEYS, metricsOf, breakEvenScale, type Metrics, type MetricKey } from './analysis/metrics.js';
export { DEFAULT_TOLERANCES, compareEntries, entriesOf, bless, type Tolerance, type Comparison, type DiffRow } from './analysis/compare.js';
export { windowRatio, type Series } from './sim/sampler.js';
export { renderSvg } from './plot/render.js';
export { poolChart, hitChart, energyChart, frontierChart } from './plot/charts.js';
export { writeRunPlots } from './plot/run.js';
export { writeSweepPlots } from './plot/sweep.js';
