/**
 * SENTINEL SIMULATE-FAILURE (sentinelCommand) and sentinelSimFailureCrash: a Sentinel told to
 * crash at one of two points of its own failover. The failover state machine checks the
 * flags right after `+elected-leader` (sentinelFailoverWaitStart, before SELECT_SLAVE) and
 * right after `+promoted-slave` (sentinelRefreshInstanceInfo, after the config was flushed
 * with the promoted replica's address, before `+failover-state-reconf-slaves` and the forced
 * hellos): exit(99) there, so the other Sentinels learn nothing and must retry.
 *
 * The flags live in the process only (not in the config file): a restarted Sentinel has none.
 */
import { array, bulk, err, ok, type Reply } from '../redis/protocol/index.js';
import type { SentinelProcess } from './sentinel.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export const SENTINEL_SIMFAILURE_CRASH_AFTER_ELECTION = 1 << 0;
export const SENTINEL_SIMFAILURE_CRASH_AFTER_PROMOTION = 1 << 1;

/**
 * SENTINEL SIMULATE-FAILURE <mode>…: the flags are cleared first and set word by word, so
 * `help` (which answers the list of modes) and an unknown word after a good one both leave
 * the flags as far as the loop got — `help` alone clears them, as on a real 7.0.15.
 */
export function sentinelSimulateFailureCommand(s: SentinelProcess, argv: readonly string[]): Reply {
  s.simfailureFlags = 0;
  for (let j = 2; j < argv.length; j++) {
    const mode = argv[j]!.toLowerCase();
    if (mode === 'crash-after-election') {
      s.simfailureFlags |= SENTINEL_SIMFAILURE_CRASH_AFTER_ELECTION;
      s.sim.record('sentinel.log', s.name, {
        msg: 'Failure simulation: this Sentinel will crash after being successfully elected as failover leader',
      });
    } else if (mode === 'crash-after-promotion') {
      s.simfailureFlags |= SENTINEL_SIMFAILURE_CRASH_AFTER_PROMOTION;
      s.sim.record('sentinel.log', s.name, {
        msg: 'Failure simulation: this Sentinel will crash after promoting the selected replica to master',
      });
    } else if (mode === 'help') {
      return array([bulk('crash-after-election'), bulk('crash-after-promotion')]);
    } else {
      return err('ERR Unknown failure simulation specified');
    }
  }
  return ok();
}

/** sentinelSimFailureCrash: log, then exit(99) — the process ends as in a crash; the config file stays. */
export function sentinelSimFailureCrash(s: SentinelProcess): void {
  s.sim.record('sentinel.log', s.name, { msg: 'Sentinel CRASH because of SENTINEL simulate-failure' });
  s.crash();
}
