/**
 * Help and version text. Kept beside the commands' option lists so `replsim <cmd> --help`
 * says exactly what the parser accepts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRACE_KIND_FAMILIES } from '../scenario/timeline-events.js';

/** Words filled into lines of at most `width` characters, each indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}

export const MAIN_HELP = `replsim — deterministic simulator of Redis 7.0 master–replica replication

Usage:
  replsim run FILE… [--seed S] [--json] [--trace[=kinds]] [--costs FILE] [--bug NAME] [--quiet] [--no-color]
  replsim validate FILE…
  replsim diff FILE [--redis-server PATH] [--redis-sentinel PATH] [--keep-logs DIR] [--json] [--seed S]
  replsim diff --fuzz [--runs N | --time 30m] [--seed S] [--shard i/n] [--out DIR]
  replsim report FILE [--seed S] [--out DIR] [--costs FILE]
  replsim sweep FILE --vary KEY=V1,V2,… [--vary …] [--seeds K] [--workers W] [--out DIR]
  replsim calibrate [--redis-server PATH] [--out FILE]
  replsim fuzz [--runs N | --time 60s] [--seed S] [--workers W] [--out DIR] [--profile NAME]
               [--bug NAME] [--shard i/n] [--json] | --merge DIR…
  replsim replay FILE | --seed S [--profile NAME] [--bug NAME] [--trace] [--around 5s]
  replsim import DIR [--out FILE] [--address NAME=IP]
  replsim <command> --help
  replsim --version

Commands:
  run        run scenario files and check their expectations
  validate   check scenario files without running them
  diff       run a scenario on real redis-server processes and in replsim, compare the results
  report     run a scenario and write a timing report (HTML, Markdown, JSON)
  sweep      run a scenario over a grid of parameters and seeds; write a heatmap
  calibrate  measure fork, RDB save/load and flush on your redis-server; print a costs: section
  fuzz       property-based fault testing: generated clusters and fault schedules, checkers,
             failures shrunk to a reproducer scenario
  replay     re-run a fuzz case (reproducer FILE or case seed) and show the trace around the violation
  import     write a scenario from a real deployment's redis-cli captures (INFO, CONFIG GET)

Exit codes: 0 all expectations held, 1 an expectation or a property failed,
2 bad usage or an invalid scenario file (one message: file:line:col, field, hint),
3 an internal error — a bug in replsim, reported with the seed and the command that
replays it — 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Piped into a reader
that stops early (| head), replsim ends quietly.
The scenario format (and its limits) is described in scenarios/FORMAT.md.
`;

export const RUN_HELP = `Usage: replsim run FILE… [options]

Runs each scenario file in turn and checks its expectations. The seed (from --seed,
else the file's seed:, else a fresh one) is printed before and after every run, with
the command that replays it.

Options:
  --seed S          seed for every run (overrides seed: in the files)
  --json            print one RunResult JSON document per run on stdout, one per line
  --trace[=kinds]   add trace records to the timeline: all of them, or a comma list of kinds
                    or prefixes of kinds (net, replica.link, rdb.fork); the families are
${wrap(TRACE_KIND_FAMILIES.join(' '), 20, 90)}
                    a kind outside them is refused; one that matched no record of the run
                    is named on stderr
  --check-determinism[=process]
                    run each scenario twice more in fresh simulators (=process: in a child
                    process) and name the first trace record where the runs differ
  --liveness        after the scenario's duration (its expectations judged then), heal
                    every fault — partitions, clogs, paused nodes, nodes that are down
                    (restarted), disk faults, when: steps; clock faults stay — and require
                    convergence within a bound derived from the config (repl-timeout,
                    reconnect, fork/transfer/load at the calibrated rates); prints the
                    bound and the time it took, fails (exit 1) beyond it
  --strict          fail (exit 1) when any write of a wait: client that was answered OK is
                    missing at the end, even a loss Redis documents (failover to a lagging
                    replica, split brain, restart without persistence); the durability
                    section of the output counts them either way
  --costs FILE      cost parameters laid over every file's costs: section, e.g. the output
                    of replsim calibrate (as report and sweep take it); the replay line
                    carries it
  --bug NAME        switch on a planted bug (repeatable), to see a checker catch it:
                    psync-ignores-backlog-range, skip-select-after-resync, backlog-off-by-one,
                    replica-expires-keys, ack-before-apply; Sentinel ones:
                    sentinel-double-vote, sentinel-promotes-priority-zero
  --quiet           print only one verdict line per run
  --no-color        plain output even on a terminal (NO_COLOR=1 does the same)
  -h, --help        this help
`;

export const VALIDATE_HELP = `Usage: replsim validate FILE…

Parses and checks each scenario file without running it: YAML syntax, known keys,
units, redis.conf options, node references, times within the duration, and the limits
of scenarios/FORMAT.md (nodes, steps, keys, value sizes, rates, duration). Errors name
file:line:col and the field path. Exits 0 if every file is valid, 2 otherwise; a file
it accepts runs (an error during the run is a bug in replsim: exit 3).

Options:
  -h, --help        this help
`;

export const DIFF_HELP = `Usage: replsim diff FILE [options]

Runs the scenario twice: on real redis-server processes (one per node, on free loopback
ports, in temp dirs, replicas linked through fault proxies that make the timeline's
partitions, latency, link kills, pauses, crashes and restarts happen for real), in real
time, and in replsim with the same seed and the same workload commands. Then prints, per
node, real Redis beside replsim: role, master, master_link_status, master_repl_offset,
second_repl_offset, replid and replid2 (as relations between nodes), sync_full,
sync_partial_ok, sync_partial_err, connected_slaves, dbsize, keys, digest (as equality
between nodes), repl_backlog_histlen, slave_read_repl_offset, total_forks, rdb_saves,
rdb_last_bgsave_status, rdb_last_load_keys_loaded/expired; the replies to the timeline's
commands; the commands each workload client sent (both sides send what the seed draws, so
the counts must be equal); and the scenario's expect: checked against real Redis's final state. Timings are reported, not compared.

With sentinels: the Sentinels run as real redis-sentinel processes (sentinel.conf from the
file's sentinel: section, SENTINEL DEBUG for its debug: timings), every connection through
a fault proxy; each one's events are collected (PSUBSCRIBE *). Compared, with the Sentinels
paired as relations (elected leader with elected leader): each one's SENTINEL MASTER
address, flags, num-slaves, num-other-sentinels and config-epoch; its event sequence from
the first fault on; and the failover timeline (fault -> +sdown, +odown, +switch-master),
within a stated tolerance (the real timer ticks at a random 10-19 Hz).

A difference is expected where the file says so, in a comment:
  # known-difference: r1.sync_partial_ok  the reason, in words
  # known-difference: command@14          (the reply to the step on line 14)
  # known-difference: sentinel.events     (sentinel.<field>, sentinel.timing likewise)

Options:
  --redis-server PATH  the redis-server binary (default: redis-server on the PATH)
  --redis-sentinel PATH  the redis-sentinel binary, for files with sentinels: (default: on the PATH)
  --keep-logs DIR      copy every node's redis.log and the harness's log into DIR
  --json               print the whole comparison as one JSON document
  --seed S             seed for replsim and the workload (default: the file's, else fresh)
  --no-color           plain output even on a terminal
  -h, --help           this help

\`replsim diff --fuzz\` generates the scenarios itself and shrinks what differs
(\`replsim diff --fuzz --help\`).

Exit codes: 0 same (or only known differences), 1 an unexpected difference,
2 bad usage, an invalid file or a redis-server that does not start, 130 interrupted.
Every redis-server it started is stopped on every way out, Ctrl-C included.
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
