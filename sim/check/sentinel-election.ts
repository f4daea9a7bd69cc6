/**
 * Sentinel elections (sentinel.c's sentinelVoteLeader and sentinelGetLeader):
 *
 *  - a Sentinel votes at most once per epoch (+vote-for-leader names the runid and epoch);
 *  - at most one Sentinel is elected leader in an epoch;
 *  - a leader was elected with the votes of a majority of all the Sentinels and at least
 *    quorum of them, cast before its +elected-leader: with no majority reachable there are
 *    no such votes, so no failover. The fuzzer starts faults only once every Sentinel
 *    has discovered the others, so "all the Sentinels" is the voters sentinelGetLeader counts.
 *
 * A failover forced by SENTINEL FAILOVER needs no votes (SRI_FORCE_FAILOVER) and is left out:
 * its +try-failover follows the command at the same instant.
 */
import type { Micros } from '../engine/index.js';
import type { FinalState, History } from './history.js';
import { Findings, type CheckerResult } from './violation.js';

interface Vote {
  t: Micros;
  voter: string;
  runid: string;
}

export function checkSentinelElection(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('sentinel-election', h.meta.seed);
  const facts = h.sentinel;
  if (facts === undefined) {
    out.note('not checked: no Sentinels');
    return out.result();
  }
  const nameOf = new Map(Object.entries(facts.views).map(([n, v]) => [v.myid.toLowerCase(), n]));
  const myid = (n: string): string => facts.views[n]?.myid.toLowerCase() ?? '';
  const sentinels = Object.keys(facts.views).length;
  const majority = Math.trunc(sentinels / 2) + 1;
  const needed = Math.max(majority, facts.quorum);
  const votes = new Map<number, Vote[]>();
  const lastEpoch = new Map<string, number>();
  const tryEpoch = new Map<string, { epoch: number; forced: boolean }>();
  const leaders = new Map<number, string>();
  const forcedAt = new Map<string, Micros>();
  for (const r of facts.history.faults) {
    if (r.kind === 'client.command' && r.node !== undefined && /^\s*sentinel\s+failover\b/i.test(String(r['command']))) forcedAt.set(`${r.node}@${r.t}`, r.t);
  }
  let elections = 0;
  for (const e of facts.history.events) {
    if (e.type === '+new-epoch') lastEpoch.set(e.sentinel, Number(e.msg));
    else if (e.type === '+try-failover') {
      tryEpoch.set(e.sentinel, { epoch: lastEpoch.get(e.sentinel) ?? 0, forced: forcedAt.has(`${e.sentinel}@${e.t}`) });
    } else if (e.type === '+vote-for-leader') {
      const [runid = '', epochText = ''] = e.msg.split(' ');
      const epoch = Number(epochText);
      const list = votes.get(epoch) ?? [];
      const earlier = list.find((v) => v.voter === e.sentinel && v.runid !== runid.toLowerCase());
      if (earlier) {
        out.violation(e.sentinel, e.t, `${e.sentinel} voted twice in epoch ${epoch}: for ${nameOf.get(earlier.runid) ?? earlier.runid} and for ${nameOf.get(runid.toLowerCase()) ?? runid}`);
      }
      list.push({ t: e.t, voter: e.sentinel, runid: runid.toLowerCase() });
      votes.set(epoch, list);
    } else if (e.type === '+elected-leader') {
      const attempt = tryEpoch.get(e.sentinel);
      if (attempt === undefined || attempt.forced) continue;
      elections++;
      const { epoch } = attempt;
      const other = leaders.get(epoch);
      if (other !== undefined && other !== e.sentinel) {
        out.violation(e.sentinel, e.t, `two leaders in epoch ${epoch}: ${other} and ${e.sentinel}`);
      }
      leaders.set(epoch, e.sentinel);
      const voters = new Set((votes.get(epoch) ?? []).filter((v) => v.runid === myid(e.sentinel)).map((v) => v.voter));
      if (voters.size < needed) {
        out.violation(e.sentinel, e.t,
          `${e.sentinel} was elected leader in epoch ${epoch} with ${voters.size} vote(s) (${[...voters].join(', ') || 'none'}); it needs ${needed} (a majority of ${sentinels} Sentinels and quorum ${facts.quorum})`);
      }
    }
  }
  out.note(`${elections} election(s) won, each with a majority of votes`);
  return out.result();
}
