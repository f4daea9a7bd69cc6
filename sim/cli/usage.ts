/** Bad command lines: one message on stderr, a pointer to --help, exit code 2. */
import { EXIT_USAGE, type CliIO } from './io.js';

export function usageError(io: CliIO, message: string, command?: string): number {
  const help = command ? `replsim ${command} --help` : 'replsim --help';
  io.stderr.write(`replsim: ${message}\n(see ${help})\n`);
  return EXIT_USAGE;
}
