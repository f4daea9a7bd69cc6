/**
 * What the CLI touches in the outside world, gathered in one interface so tests can run
 * `main()` in-process with captured output and a fake runner, and the real binary wires it
 * to the process (including the Ctrl-C handler that prints the seed).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { RunOptions, RunResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Runs one scenario; may run it elsewhere (a worker thread) so Ctrl-C stays responsive. */
export type Executor = (scenario: Scenario, opts: RunOptions) => Promise<RunResult>;

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** Defaults to running the scenario in this thread. */
  execute?: Executor;
  /**
   * Registers a handler for Ctrl-C (SIGINT) and SIGTERM for the duration of the runs;
   * returns the unregister function. The handler learns which signal came.
   */
  onInterrupt?: (handler: (signal?: InterruptSignal) => void) => () => void;
  /**
   * main() calls it once the command has begun (its modules loaded, its synchronous start
   * run): the real process then stops holding a signal that came while it loaded (interrupt-gate.ts).
   */
  commandStarted?: () => void;
  /** Ends the process at once (after an interrupt). Tests leave it out. */
  exit?: (code: number) => void;
  /** A fresh seed when neither --seed nor the file gives one. */
  newSeed?: () => string;
  /** Wall-clock milliseconds (default Date.now): progress pacing and --time; tests pass a fake clock. */
  now?: () => number;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** A bug in replsim itself (a model assertion, an exception in a run): not the input's fault. */
export const EXIT_INTERNAL = 3;
/** 128 + SIGINT, as shells report a Ctrl-C'd process. */
export const EXIT_INTERRUPTED = 130;
/** 128 + SIGTERM. */
export const EXIT_TERMINATED = 143;

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** The exit code a shell reports for a process ended by `signal`. */
export function interruptExitCode(signal: InterruptSignal | undefined): number {
  return signal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
}

/**
 * Colour only on a terminal, never with NO_COLOR set to anything non-empty (no-color.org)
 * or --no-color, so piped output and logs stay plain.
 */
export function colorsFor(io: CliIO, noColorFlag: boolean): ChalkInstance {
  const noColorEnv = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
  const on = io.stdout.isTTY === true && !noColorEnv && !noColorFlag;
  return new Chalk({ level: on ? 1 : 0 });
}
