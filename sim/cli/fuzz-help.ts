/** Help text of `replsim fuzz` and `replsim replay`, beside the option lists they describe. */

export const FUZZ_HELP = `Usage: replsim fuzz [--runs N | --time 60s] [options]
       replsim fuzz --merge DIR…

Property-based fault testing. Each run generates a cluster (1 master, 1–5 replicas,
chains), redis.conf settings, a network, data, load and a schedule of faults drawn from a
random subset of fault kinds (swarm testing: partitions, one-way partitions, link kills,
pauses, crashes and restarts with and without persistence (RDB save points, an AOF under
each appendfsync policy), power losses that take the unsynced AOF tail, latency, swizzle-clogging,
promotions, write bursts, CLIENT PAUSE WRITE/ALL, clock steps and skews, full disks and
failing BGSAVEs); the faults end, then a liveness window as long as the convergence bound. The
checkers (convergence, prefix-consistency, durability, liveness, monotonic-offsets,
read-only-replicas, info-consistency) judge the run's history. The first failure of each
checker is shrunk to a minimal scenario and written as DIR/<checker>-<seed>.yaml, a normal
scenario file with the failing invariant as its expectation.

Options:
  --runs N          run N cases (default 100 without --time)
  --time D          run for a duration: 60s, 10m, 1h
  --seed S          campaign seed (default: fresh, printed); case seeds derive from it
  --workers W       worker threads (default: all cores)
  --out DIR         where reproducers and summary.json go (default: fuzz-out)
  --profile NAME    default, quick, failover, chains (default: default)
  --bug NAME        plant a bug (repeatable): psync-ignores-backlog-range,
                    skip-select-after-resync, backlog-off-by-one, replica-expires-keys,
                    ack-before-apply
  --shard i/n       run only the case indices ≡ i (mod n): shards of one campaign seed
                    cover disjoint cases, so a CI matrix or an indexed Job can split it
  --shrink-runs N   simulation runs one shrink may spend (default 300)
  --check-determinism[=process]
                    run every case twice more in fresh simulators (=process: and once
                    in a child process, which needs the compiled CLI) and compare the
                    traces; a difference is a \`determinism\` failure naming the first
                    differing trace record (index, virtual time, both records) and the
                    case seed; such a case is not shrunk
  --merge DIR…      add up the summary.json of each DIR (from shards) and print it
  --json            print the summary as JSON
  --no-color        plain output
  -h, --help        this help

Exit codes: 0 no property failed, 1 some property failed, 2 bad usage, 130 interrupted.
`;

export const REPLAY_HELP = `Usage: replsim replay FILE [options]
       replsim replay --seed S [--profile NAME] [options]

Re-runs a case — a reproducer written by replsim fuzz (or any scenario file), or the case a
seed of a campaign stands for — with every checker, prints its trace hash (and checks it
against the one recorded in the reproducer), the violations with the events that led to
them, and the trace around the first violation.

Options:
  --seed S          a case seed (from replsim fuzz's output) instead of FILE
  --profile NAME    the profile the case seed was generated with (default: default)
  --bug NAME        plant a bug (repeatable), as the campaign did
  --around D        show the trace from D before to D after the violation (default 2s)
  --trace           show the whole trace
  --check-determinism[=process]
                    run the case twice more in fresh simulators (=process: a FILE also in a
                    child process) and name the first trace record where the runs differ
  --json            print the RunResult as JSON
  --no-color        plain output
  -h, --help        this help

Exit codes: 0 every invariant and expectation held, 1 something failed, 2 bad usage.
`;
