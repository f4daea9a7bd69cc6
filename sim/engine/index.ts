/** The engine's public API: clock, queue, random streams, trace, assertions. */
export { Simulator, type SimulatorOptions, type RunOptions, type RunResult, type StopReason } from './simulator.js';
export { RunLimitExceeded, SimulationAssertion, simAssert, type AssertionContext } from './assert.js';
export { EventQueue, type TimerId, type Handler } from './event-queue.js';
export { Random, RandomStreams } from './random.js';
export {
  Trace,
  canonicalRecord,
  firstDifference,
  traceHashOfCanonical,
  type TraceRecord,
  type TraceValue,
  type TraceRetention,
  type TraceListener,
  type TraceKinds,
  type TraceKind,
  type TraceEvent,
  type TraceEventOf,
  type TraceFieldsArg,
} from './trace.js';
export * from './time.js';
export * from './units.js';
export { didYouMean } from './did-you-mean.js';
