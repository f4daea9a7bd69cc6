#!/usr/bin/env node
/**
 * The `replsim` command. `main()` takes its arguments and a CliIO so tests can call it
 * in-process; run as a program, it is wired to the real process: stdout/stderr, a Ctrl-C
 * handler that prints the seed, and runs in a worker thread so that handler can fire.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../engine/index.js';
import { workerExecutor } from './executor.js';
import { MAIN_HELP, packageVersion } from './help.js';
import { interruptGate } from './interrupt-gate.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { usageError } from './usage.js';

type Command = (args: string[], io: CliIO) => Promise<number> | number;

/**
 * Each command's module (and the model behind most of them: ≈ 0.5–1 s of CPU) is loaded
 * when that command runs, after processIO() listens for signals: a Ctrl-C while it loads
 * is held for the command (interrupt-gate.ts) instead of ending the process with nothing
 * written, and --help, --version and a mistyped command load none.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run.js')).runCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  report: async () => (await import('./report.js')).reportCommand,
  sweep: async () => (await import('./sweep.js')).sweepCommand,
  calibrate: async () => (await import('./calibrate.js')).calibrateCommand,
  fuzz: async () => (await import('./fuzz.js')).fuzzCommand,
  replay: async () => (await import('./replay.js')).replayCommand,
  import: async () => (await import('./import.js')).importCommand,
};

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(MAIN_HELP);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
    io.stdout.write(MAIN_HELP);
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`replsim ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (load === undefined) {
    if (first.startsWith('-')) return usageError(io, `unknown option ${first}; options come after the command`);
    const guess = didYouMean(first, Object.keys(COMMANDS));
    return usageError(io, `unknown command "${first}"${guess ? `; did you mean ${guess}?` : ''}`);
  }
  const command = await load();
  const done = command(rest, io);
  // By now the command has registered for Ctrl-C if it does so at its start (fuzz does).
  io.commandStarted?.();
  return done;
}

/** The real process as a CliIO. */
export function processIO(): CliIO {
  // Listening starts here, before any command's modules load (interrupt-gate.ts).
  const gate = interruptGate(process);
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt: gate.onInterrupt,
    commandStarted: gate.commandStarted,
    exit: (code) => process.exit(code),
  };
  const worker = workerExecutor();
  if (worker) io.execute = worker;
  return io;
}

/** True when this module is the program being run (also through npm's bin symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * `replsim run … | head`: when the reader goes away, stop quietly as other Unix tools do
 * (the output is no longer wanted), instead of dying on an unhandled EPIPE with a stack.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    throw e;
  });
}

if (isEntryPoint()) {
  exitQuietlyOnBrokenPipe(process.stdout);
  exitQuietlyOnBrokenPipe(process.stderr);
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      // exitCode rather than exit(): let piped stdout drain first.
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`replsim: internal error (a bug in replsim, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
