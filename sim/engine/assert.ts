/**
 * Model invariants are loud and replayable (docs/layers.md, "Determinism"): a failed
 * assertion names the seed and the virtual time, which is all it takes to reproduce it.
 */
import { formatClock, type Micros } from './time.js';

/** What an assertion needs to know about the run it happened in. */
export interface AssertionContext {
  readonly seed: string;
  readonly now: Micros;
}

export class SimulationAssertion extends Error {
  readonly seed: string;
  readonly timeUs: Micros;

  constructor(message: string, seed: string, timeUs: Micros) {
    super(`${message} [seed=${JSON.stringify(seed)} t=${formatClock(timeUs)}s (${timeUs}us)]`);
    this.name = 'SimulationAssertion';
    this.seed = seed;
    this.timeUs = timeUs;
  }
}

/**
 * The scenario asks for more than the simulator will run, found only at run time (a Lua
 * script that never ends or is never killed: scenarios/FORMAT.md, Limits). Not a model bug: the run
 * stops, reported as a limit (exit 2), never as an internal error.
 */
export class RunLimitExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunLimitExceeded';
  }
}

/**
 * Throws a SimulationAssertion unless cond holds. Pass a function as the message on hot
 * paths so the string is only built on failure.
 */
export function simAssert(cond: unknown, sim: AssertionContext, message: string | (() => string)): asserts cond {
  if (!cond) {
    throw new SimulationAssertion(typeof message === 'function' ? message() : message, sim.seed, sim.now);
  }
}
