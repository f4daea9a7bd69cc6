/**
 * One-way latency of a link as a distribution. Samples are integer microseconds (docs/layers.md, "Determinism"
 * rule 1) and never below the floor, so a heavy left tail cannot produce negative delays.
 */
import type { Random } from '../engine/index.js';
import type { Micros } from '../engine/index.js';

export type LatencyModel =
  | { kind: 'fixed'; us: Micros }
  | { kind: 'uniform'; minUs: Micros; maxUs: Micros }
  | { kind: 'normal'; meanUs: Micros; stddevUs: Micros; floorUs?: Micros }
  | { kind: 'lognormal'; medianUs: Micros; sigma: number; floorUs?: Micros };

/**
 * The longest one-way delay a sample may take: a day, far beyond any run's interest, so a
 * heavy tail (a log-normal's e^(σZ)) can never yield a delay that is not an exact integer.
 */
export const MAX_LATENCY_SAMPLE_US = 86_400_000_000;

/** Draws one latency. `fixed` consumes no randomness, so it never shifts the 'net' stream. */
export function sampleLatency(model: LatencyModel, rng: Random): Micros {
  switch (model.kind) {
    case 'fixed':
      return model.us;
    case 'uniform':
      return rng.int(model.minUs, model.maxUs);
    case 'normal':
      return Math.min(MAX_LATENCY_SAMPLE_US, Math.max(model.floorUs ?? 0, Math.round(rng.normal(model.meanUs, model.stddevUs))));
    case 'lognormal':
      // median · e^(σZ): the median of a lognormal is e^μ, so μ = ln(median).
      return Math.min(MAX_LATENCY_SAMPLE_US, Math.max(model.floorUs ?? 0, Math.round(rng.lognormal(Math.log(model.medianUs), model.sigma))));
  }
}

const isMicros = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Why a model is unusable, or null if it is fine. */
export function latencyModelProblem(model: LatencyModel): string | null {
  switch (model.kind) {
    case 'fixed':
      return isMicros(model.us) ? null : `fixed latency must be a non-negative integer of µs, got ${model.us}`;
    case 'uniform':
      if (!isMicros(model.minUs) || !isMicros(model.maxUs)) return 'uniform latency bounds must be non-negative integers of µs';
      return model.minUs <= model.maxUs ? null : `uniform latency: minUs ${model.minUs} > maxUs ${model.maxUs}`;
    case 'normal':
      if (!(model.meanUs >= 0) || !(model.stddevUs >= 0)) return 'normal latency: meanUs and stddevUs must be >= 0';
      return model.floorUs === undefined || isMicros(model.floorUs) ? null : 'normal latency: floorUs must be a non-negative integer';
    case 'lognormal':
      if (!(model.medianUs > 0) || !(model.sigma >= 0)) return 'lognormal latency: medianUs must be > 0 and sigma >= 0';
      return model.floorUs === undefined || isMicros(model.floorUs) ? null : 'lognormal latency: floorUs must be a non-negative integer';
    default:
      return `unknown latency model ${JSON.stringify(model)}`;
  }
}
