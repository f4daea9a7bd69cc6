/**
 * Epochs and votes: sentinelVoteLeader (one vote per epoch, first come first served, which
 * also delays our own failover of that master when the vote goes to someone else) and
 * sentinelGetLeader (the winner needs a majority of the known Sentinels plus us, and the
 * quorum).
 */
import { sentinelEvent } from './events.js';
import type { SentinelRedisInstance } from './instance.js';
import type { SentinelProcess } from './sentinel.js';

/** SENTINEL_MAX_DESYNC: the random shift of failover_start_time. */
export const SENTINEL_MAX_DESYNC = 1000;

export function sentinelVoteLeader(
  s: SentinelProcess,
  m: SentinelRedisInstance,
  reqEpoch: number,
  reqRunid: string,
  now: number,
): { leader: string | null; leaderEpoch: number } {
  if (reqEpoch > s.currentEpoch) {
    s.currentEpoch = reqEpoch;
    s.flushConfig();
    sentinelEvent(s, 'warning', '+new-epoch', null, String(s.currentEpoch));
  }
  // Planted bug sentinel-double-vote: a request of the epoch already voted in, from another
  // candidate, gets the vote too (once per epoch) — the one-vote-per-epoch rule broken.
  const doubleVote = s.bug('sentinel-double-vote') && m.leaderEpoch === reqEpoch && m.leader !== null
    && m.leader.toLowerCase() !== reqRunid.toLowerCase() && m.doubleVotedEpoch !== reqEpoch;
  if (doubleVote) m.doubleVotedEpoch = reqEpoch;
  if ((m.leaderEpoch < reqEpoch && s.currentEpoch <= reqEpoch) || doubleVote) {
    m.leader = reqRunid;
    m.leaderEpoch = s.currentEpoch;
    s.flushConfig();
    sentinelEvent(s, 'warning', '+vote-for-leader', null, `${m.leader} ${m.leaderEpoch}`);
    // Voting for another Sentinel: do not start our own failover of this master for a while.
    if (m.leader.toLowerCase() !== s.myid.toLowerCase()) m.failoverStartTime = now + s.rng.int(0, SENTINEL_MAX_DESYNC - 1);
  }
  return { leader: m.leader, leaderEpoch: m.leaderEpoch };
}

/**
 * sentinelGetLeader: counts the votes other Sentinels reported for current_epoch, adds ours
 * (for the front runner, else for us), and returns the winner if it has both
 * voters/2+1 votes and the quorum; otherwise null.
 */
export function sentinelGetLeader(s: SentinelProcess, m: SentinelRedisInstance, epoch: number, now: number): string | null {
  const counters = new Map<string, number>();
  const voters = m.sentinels.size + 1;
  for (const si of m.sentinels.values()) {
    if (si.leader !== null && si.leaderEpoch === s.currentEpoch) counters.set(si.leader, (counters.get(si.leader) ?? 0) + 1);
  }
  let winner: string | null = null;
  let maxVotes = 0;
  for (const [runid, votes] of counters) {
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = runid;
    }
  }
  const my = sentinelVoteLeader(s, m, epoch, winner ?? s.myid, now);
  if (my.leader !== null && my.leaderEpoch === epoch) {
    const votes = (counters.get(my.leader) ?? 0) + 1;
    counters.set(my.leader, votes);
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = my.leader;
    }
  }
  const votersQuorum = Math.trunc(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < m.quorum)) winner = null;
  return winner;
}
