/** tmemsim's public face: re-exports only. */

export { run, simulate, type RunOptions } from './api.js';
export { openTrace, type FormatOptions } from './trace/reader.js';
export { convertTrace } from './trace/convert.js';
export { TmtbEncoder, writeTmtb } from './trace/formats/tmtb.js';
export { inspectTrace, type TraceInspection, type ReuseBucket } from './trace/inspect.js';
export type { RunProgress } from './sim/progress.js';
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
export { LatencyHistogram, MAX_RELATIVE_ERROR, type LatencyStats } from './cost/latency.js';
export { loadProfileFile, resolveProfile, profileDocument, type FileProfile } from './profiles/file.js';
