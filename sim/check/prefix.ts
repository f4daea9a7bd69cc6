/**
 * Prefix consistency: what a replica has applied is exactly a prefix of its master's
 * stream, across partial and full resyncs. In offset space: a dataset that claims to be
 * the stream (replid, offset) must be the same dataset wherever and whenever that claim is
 * made, so equal (replid, offset) ⇒ equal digests, across nodes and time; and a replica its
 * master lists online shares the master's replid and is never ahead of it.
 */
import { formatMicros } from '../engine/index.js';
import type { FinalState, History, NodeSample } from './history.js';
import { eventsBefore } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkPrefixConsistency(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('prefix-consistency', h.meta.seed);
  const claims = new Map<string, NodeSample>();
  const reportedPairs = new Set<string>();
  let round: NodeSample[] = [];
  const flush = (): void => {
    checkPairs(round, out, h, reportedPairs);
    round = [];
  };
  for (const s of h.samples) {
    if (round.length > 0 && round[0]!.round !== s.round) flush();
    round.push(s);
    if (!s.stable || s.digest === null) continue;
    const k = `${s.replid}:${s.offset}`;
    const first = claims.get(k);
    if (!first) {
      claims.set(k, s);
      continue;
    }
    if (first.digest === s.digest) continue;
    // The same node changing under a fixed position is the read-only checker's finding for
    // replicas; for masters it is a stream that does not carry every change.
    if (first.node === s.node && s.role === 'slave') continue;
    const pair = `${first.node}/${s.node}/${k}`;
    if (reportedPairs.has(pair)) continue;
    reportedPairs.add(pair);
    out.violation(s.node, s.t,
      `${s.node} at offset ${s.offset} of history ${s.replid.slice(0, 8)}… has dataset ${s.digest} (${s.keys} keys), ` +
        `but ${first.node} had ${first.digest} (${first.keys} keys) at the same position at ${formatMicros(first.t)}: ` +
        `not a prefix of the same stream`,
      eventsBefore(h, s.node, s.t));
  }
  flush();
  return out.result();
}

function checkPairs(round: NodeSample[], out: Findings, h: History, reported: Set<string>): void {
  if (round.length === 0) return;
  const byName = new Map(round.map((s) => [s.node, s]));
  for (const r of round) {
    if (!r.alive || r.role !== 'slave' || r.link !== 'connected' || r.masterHost === null) continue;
    const m = byName.get(r.masterHost);
    if (!m || !m.alive || !m.online.includes(r.node)) continue;
    if (r.replid !== m.replid) {
      const key = `replid/${r.node}/${r.replid}/${m.replid}`;
      if (reported.has(key)) continue;
      reported.add(key);
      out.violation(r.node, r.t, `${r.node} is online at ${m.node} with replid ${r.replid.slice(0, 8)}…, but ${m.node}'s is ${m.replid.slice(0, 8)}…`,
        eventsBefore(h, r.node, r.t));
    } else if (r.offset > m.offset) {
      const key = `ahead/${r.node}/${r.replid}`;
      if (reported.has(key)) continue;
      reported.add(key);
      out.violation(r.node, r.t, `${r.node} is at offset ${r.offset} of ${m.node}'s history, ahead of ${m.node} itself (${m.offset})`,
        eventsBefore(h, r.node, r.t));
    }
  }
}
