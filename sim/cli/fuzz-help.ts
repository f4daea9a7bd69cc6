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

--profile sentinel: 1 master and 1–4 replicas monitored by 3 or 5 Sentinels (quorum drawn,
down-after-milliseconds 1–5 s, failover-timeout 3–10 s, parallel-syncs 1–2, replica-priority
0/10/50/100 per replica) and 1–2 Sentinel-aware clients on hosts of their own. Faults start
at 6 s, once the Sentinels know each other, and hit Sentinels too: partitions split Redis
nodes, Sentinels and clients; crashes, pauses (a Sentinel's pause > 2 s means TILT), power
losses and clock steps hit Sentinels as well; a failover is SENTINEL FAILOVER. The liveness
window adds the Sentinel settle bound (tilt-period, 8 × failover-timeout, down-after,
election timeout, 10 s per replica to reconfigure, hellos and INFO periods) to the
convergence bound. Four more checkers judge it: sentinel-agreement (after the bound, one
master, every replica following it, every Sentinel naming it in one config epoch),
sentinel-election (one vote per Sentinel per epoch, one leader per epoch, each leader
elected by a majority of the Sentinels and the quorum: no failover without a reachable
majority), sentinel-promotion (never a replica-priority 0 replica), sentinel-client-writes
(acknowledged writes lost only for the documented causes, docs/lost-writes.md).

Seeds:
  campaign seed     --seed S of fuzz: names the whole campaign; case i of campaign S is the
                    same case on any machine
  case seed         one generated case, printed with each failure (✗ case 123…): replay
                    --seed <case seed> regenerates it; reproducer files are named
                    <checker>-<case seed>.yaml
  simulation seed   the dice one case drew for its run: the seed: line of a reproducer file
                    and of the scenario a case becomes (not a case seed)

Options:
  --runs N          run N cases (default 100 without --time); with --shard, N cases of this
                    shard (indices i, i+n, i+2n, …), so n shards of --runs N run n × N cases
  --time D          run for a duration: 60s, 10m, 1h; the last line gives the --runs N it
                    reached, to run exactly those cases again elsewhere
  --max-failures N  stop starting cases once N have failed (cases already running finish)
  --seed S          campaign seed (default: fresh, printed); case seeds derive from it
  --workers W       worker threads (default: all cores; at most 256, and no more than --runs)
  --out DIR         where reproducers and summary.json go (default: fuzz-out); checked
                    before the first case. Stopped by Ctrl-C or SIGTERM, the campaign
                    still writes summary.json (marked "interrupted") and, with --json,
                    prints it
  --profile NAME    default, quick, failover, chains, sentinel (default: default)
  --bug NAME        plant a bug (repeatable): psync-ignores-backlog-range,
                    skip-select-after-resync, backlog-off-by-one, replica-expires-keys,
                    ack-before-apply; Sentinel bugs (with --profile sentinel):
                    sentinel-double-vote, sentinel-promotes-priority-zero
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

Output: the first failure of each checker gets its message and replay command on two
lines (and its reproducer file); later failures of that checker one line each. Without a
terminal (a CI log) a progress line is printed every 30 s. Printed commands start with
npx replsim, as they run in a clone of the project.

Exit codes: 0 no property failed, 1 some property failed, 2 bad usage (or a malformed
summary.json for --merge), 3 an internal error on some case, 130 interrupted, 143 SIGTERM.
`;

export const REPLAY_HELP = `Usage: replsim replay FILE [options]
       replsim replay --seed S [--profile NAME] [options]

Re-runs a case — a reproducer written by replsim fuzz (or any scenario file), or the case a
seed of a campaign stands for — with every checker, prints its trace hash (and checks it
against the one recorded in the reproducer), the violations with the events that led to
them, and the trace around the first violation.

Options:
  --seed S          a case seed (from replsim fuzz's ✗ lines, not a reproducer's seed:,
                    which is the case's simulation seed) instead of FILE
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
