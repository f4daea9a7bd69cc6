/** `replsim validate FILE…`: check scenario files without running them. */
import { parseArgs } from './cli-args.js';
import { formatMicros } from '../engine/index.js';
import { VALIDATE_HELP } from './help.js';
import { EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { loadAll } from './scenario-files.js';
import { usageError } from './usage.js';

export function validateCommand(args: string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return usageError(io, (e as Error).message, 'validate');
  }
  if (parsed.values.help) {
    io.stdout.write(VALIDATE_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length === 0) return usageError(io, 'validate needs at least one scenario FILE', 'validate');
  const scenarios = loadAll(parsed.positionals, io.stderr);
  if (scenarios === null) return EXIT_USAGE;
  for (const s of scenarios) {
    io.stdout.write(
      `ok ${s.file}: ${s.name}, ${s.nodes.length} nodes, ${s.sentinels ? `${s.sentinels.length} Sentinels, ` : ''}${formatMicros(s.durationUs)}, ` +
        `${s.timeline.length} timeline steps, ${s.expect.length} expectations\n`,
    );
  }
  return EXIT_OK;
}
