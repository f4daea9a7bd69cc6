#!/usr/bin/env node
/**
 * The `replsim` command. `main()` takes its arguments and a CliIO so tests can call it
 * in-process; run as a program, it is wired to the real process: stdout/stderr, a Ctrl-C
 * handler that prints the seed, and runs in a worker thread so that handler can fire.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../engine/index.js';
import { diffCommand } from './diff.js';
import { workerExecutor } from './executor.js';
import { MAIN_HELP, packageVersion } from './help.js';
import { calibrateCommand } from './calibrate.js';
import { fuzzCommand } from './fuzz.js';
import { importCommand } from './import.js';
import { replayCommand } from './replay.js';
import { reportCommand } from './report.js';
import { sweepCommand } from './sweep.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { runCommand } from './run.js';
import { usageError } from './usage.js';
import { validateCommand } from './validate.js';

const COMMANDS = ['run', 'validate', 'diff', 'report', 'sweep', 'calibrate', 'fuzz', 'replay', 'import'];

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
  switch (first) {
    case 'run':
      return runCommand(rest, io);
    case 'validate':
      return validateCommand(rest, io);
    case 'diff':
      return diffCommand(rest, io);
    case 'report':
      return reportCommand(rest, io);
    case 'sweep':
      return sweepCommand(rest, io);
    case 'calibrate':
      return calibrateCommand(rest, io);
    case 'fuzz':
      return fuzzCommand(rest, io);
    case 'replay':
      return replayCommand(rest, io);
    case 'import':
      return importCommand(rest, io);
    default: {
      if (first.startsWith('-')) return usageError(io, `unknown option ${first}; options come after the command`);
      const guess = didYouMean(first, COMMANDS);
      return usageError(io, `unknown command "${first}"${guess ? `; did you mean ${guess}?` : ''}`);
    }
  }
}

/** The real process as a CliIO. */
export function processIO(): CliIO {
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt: (handler) => {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
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
