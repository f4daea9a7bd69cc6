/** Help text of `report`, `sweep` and `calibrate`, beside what their parsers accept. */

export const REPORT_HELP = `Usage: replsim report FILE [options]

Runs the scenario once and writes a timing report into a directory:
  index.html   self-contained page (inline SVG, no script, no network): replica state and
               syncs over time with the faults, lag in bytes and seconds, offsets with the
               backlog window, output buffers, where the time of each sync went; with
               Sentinels, a lane per Sentinel (SDOWN/ODOWN, votes, leader, switch), the
               clients' windows without a writable master with the lost writes by cause,
               and a Gantt of each failover
  report.md    the same figures as tables
  data.json    the raw series (every node sampled every 100 ms of virtual time) and syncs

Options:
  --seed S       seed (overrides seed: in the file)
  --out DIR      where to write (default reports/<scenario name>/)
  --costs FILE   cost parameters to use, e.g. the output of replsim calibrate
  -h, --help     this help

Exit codes: 0 report written and the expectations held, 1 written but an expectation
failed, 2 bad usage, an invalid scenario or an --out DIR that cannot be written (checked
before the run), 3 the run crashed (a bug in replsim; the seed and replay command are printed).
`;

export const SWEEP_HELP = `Usage: replsim sweep FILE --vary KEY=V1,V2,… [--vary …] [options]

Runs the scenario over every combination of the values, K seeds per cell, in parallel,
and writes index.html (a heatmap), sweep.md and sweep.json. Per cell: partial vs full
resync (looking past each replica's initial sync), sync loop (a replica full-synced
3 times or more), recovery time after the faults (median and max over the seeds).
With Sentinel-aware clients, two more heatmaps: acknowledged writes lost, and the
seconds without a writable master (no client could write; median over the seeds).

KEY is one of:
  <redis.conf option>              repl-backlog-size=1mb,4mb   (every node)
  nodes.<node>.<option>            nodes.r1.repl-timeout=5,60
  network.latency | network.bandwidth                 network.bandwidth=100mbit,1gbit
  workload[i].rate | .keys | .value-size | .from | .until   workload[0].rate=1k/s,10k/s
  dataset[i].keys | .value-size                       dataset[0].keys=500k,1m,2m
  timeline[i].at                   a time, or +D after step i-1: timeline[1].at=+5s,+30s
  timeline[i].for                  the for: of a pause or latency step
  costs.<parameter>                costs.rdb-load-keys-per-sec=300000,600000
  sentinel.<option>                sentinel.down-after-milliseconds=1000,5000,30000 (every
                                   Sentinel; also failover-timeout, parallel-syncs, quorum,
                                   master-reboot-down-after-period, debug.<param>)
  sentinels.<name>.<option>        one Sentinel: sentinels.s1.down-after-milliseconds=3000,9000
  duration

Options:
  --vary KEY=V1,V2,…  an axis of the grid (repeatable; the last one is the heatmap's columns)
  --seeds K      seeds per cell (default 1): the file's seed, then <seed>-1, <seed>-2, …;
                 at most 100,000 runs (cells × seeds) in one sweep
  --seed S       the first seed instead of the file's
  --workers W    runs in parallel (default: the number of CPUs)
  --out DIR      where to write (default reports/<scenario name>-sweep/)
  --costs FILE   cost parameters to use, e.g. the output of replsim calibrate
  -h, --help     this help

Exit codes: 0 written, 2 bad usage, an invalid scenario or --vary, or an --out DIR that
cannot be written (checked before the first run), 3 a run crashed (a bug in replsim),
130 / 143 stopped by Ctrl-C / SIGTERM: the runs that had finished are written to DIR,
marked incomplete ("not run" cells had none).
`;

export const CALIBRATE_HELP = `Usage: replsim calibrate [options]

Measures what fork, RDB generation, the RDB transfer, RDB load and flush cost on your
redis-server, and writes a scenario \`costs:\` section (paste it into a scenario, or pass the
file to run/report/sweep with --costs). It starts its own redis-server processes on free
loopback ports in a temp directory, fills them with DEBUG POPULATE, times SAVE, BGSAVE
(fork), DEBUG RELOAD (with and without rdbcompression, to tell per-key from per-byte costs),
FLUSHALL and a real full sync to a second server (its transfer read from that server's log),
and stops everything it started, and removes its directory, on every way out. RDB save and
load are fitted as a fixed part + per key + per byte on relative errors, so two or more
sizes far apart (10000,100000,1000000) fit small and large datasets alike.

Options:
  --redis-server PATH  the binary (default: redis-server on the PATH)
  --keys N,N,…   dataset sizes to fit the rates on (default 100000,400000)
  --value-size N bytes per value of DEBUG POPULATE (default 100)
  --repeat N     measure each size N times and fit the medians (default 1; 3 on a busy host)
  --out FILE     write the YAML there (default: print it)
  -h, --help     this help
`;
