/**
 * Help and version text. Kept beside the commands' option lists so `replsim <cmd> --help`
 * says exactly what the parser accepts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN_HELP = `replsim — deterministic simulator of Redis 7.0 master–replica replication

Usage:
  replsim run FILE… [--seed S] [--json] [--trace[=kinds]] [--bug NAME] [--quiet] [--no-color]
  replsim validate FILE…
  replsim <command> --help
  replsim --version

Commands:
  run        run scenario files and check their expectations
  validate   check scenario files without running them

Exit codes: 0 all expectations held, 1 an expectation failed or a run crashed,
2 bad usage or an invalid scenario file, 130 interrupted (Ctrl-C).
The scenario format is described in scenarios/FORMAT.md.
`;

export const RUN_HELP = `Usage: replsim run FILE… [options]

Runs each scenario file in turn and checks its expectations. The seed (from --seed,
else the file's seed:, else a fresh one) is printed before and after every run, with
the command that replays it.

Options:
  --seed S          seed for every run (overrides seed: in the files)
  --json            print one RunResult JSON document per run on stdout, one per line
  --trace[=kinds]   add trace records to the timeline: all of them, or a comma list of kinds
  --bug NAME        switch on a planted bug (repeatable), to see a checker catch it:
                    psync-ignores-backlog-range, skip-select-after-resync, backlog-off-by-one,
                    replica-expires-keys, ack-before-apply
  --quiet           print only one verdict line per run
  --no-color        plain output even on a terminal (NO_COLOR=1 does the same)
  -h, --help        this help
`;

export const VALIDATE_HELP = `Usage: replsim validate FILE…

Parses and checks each scenario file without running it: YAML syntax, known keys,
units, redis.conf options, node references, times within the duration. Errors name
file:line:col and the field path. Exits 0 if every file is valid, 2 otherwise.

Options:
  -h, --help        this help
`;

/** The package version, found by walking up from this file to replsim's package.json (works from sim/ and dist/sim/). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'replsim' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
