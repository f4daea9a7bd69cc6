/**
 * INFO self-consistency: what a node says about itself in INFO replication must add up,
 * the way an operator's dashboard assumes it does (genRedisInfoString's replication section, server.c):
 *  - repl_backlog_first_byte_offset = master_repl_offset − repl_backlog_histlen + 1;
 *  - repl_backlog_histlen ≤ repl-backlog-size plus two blocks, unless a replica still needs
 *    older bytes (7.0's shared buffer: the backlog cannot trim blocks a replica references);
 *  - second_repl_offset is −1 exactly when master_replid2 is all zeros;
 *  - connected_slaves counts the slaveN lines; a replica's acknowledged offset never
 *    exceeds the master's own master_repl_offset (it cannot have applied bytes that were
 *    never produced); lag ≥ 0 (unless the node's clock was stepped);
 *  - a replica's master_link_status is up exactly when its link is connected, and it is not
 *    syncing while up.
 */
import { formatMicros, type TraceKind } from '../engine/index.js';
import type { FinalState, History } from './history.js';
import { anyWithin, eventsBefore, timesByNode } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

const ZERO_ID = '0'.repeat(40);
/** A master stops needing old blocks when a replica goes, or catches up. */
const RELEASES = new Set<TraceKind>(['master.replica-lost', 'master.replica-online', 'master.stream-start']);
const MIN_BLOCK = 16 * 1024;

export function checkInfoConsistency(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('info-consistency', h.meta.seed);
  const reported = new Set<string>();
  const releases = timesByNode(h, RELEASES);
  const clockFaults = timesByNode(h, new Set<TraceKind>(['fault.clock']));
  const once = (key: string, node: string, t: number, message: string): void => {
    if (reported.has(key)) return;
    reported.add(key);
    out.violation(node, t, message, eventsBefore(h, node, t));
  };
  for (const s of h.samples) {
    const i = s.info;
    if (!s.alive || i === null) continue;
    const n = s.node;
    if (i.role !== s.role) once(`role/${n}`, n, s.t, `INFO says role:${i.role} but the node is a ${s.role}`);
    if (i.masterReplOffset < 0) once(`neg/${n}`, n, s.t, `master_repl_offset is negative (${i.masterReplOffset})`);
    if (i.backlogActive === 1) {
      const expected = i.masterReplOffset - i.histlen + 1;
      if (i.firstByteOffset !== expected) {
        once(`first/${n}`, n, s.t, `repl_backlog_first_byte_offset ${i.firstByteOffset} ≠ master_repl_offset ${i.masterReplOffset} − repl_backlog_histlen ${i.histlen} + 1 = ${expected}`);
      }
      // Trimming runs when a block is added: it keeps the head block if dropping it would
      // leave less than the configured size, and the tail block then fills before the next
      // trim — so up to two blocks (jemalloc-rounded) beyond the size.
      const block = Math.max(MIN_BLOCK, Math.floor(i.backlogSize / 16));
      const slack = 2 * Math.ceil(block * 1.25) + 128;
      const pinned = i.slaves.some((sl) => sl.state !== 'online' || sl.offset < i.masterReplOffset);
      // Freeing a replica trims at most 64 blocks; each event-loop iteration's beforeSleep
      // trims 640 more (an idle server iterates at least at hz): a big backlog a lagging
      // replica held takes a few iterations to go, in Redis as in the model.
      const hz = h.meta.configs[n]?.hz ?? 10;
      const iterations = Math.ceil((i.histlen - i.backlogSize) / (block * 640)) + 1;
      const justReleased = anyWithin(releases.get(n), s.t - iterations * Math.ceil(1_000_000 / hz), s.t);
      if (i.histlen > i.backlogSize + slack && !pinned && !justReleased) {
        once(`histlen/${n}`, n, s.t, `repl_backlog_histlen ${i.histlen} exceeds repl-backlog-size ${i.backlogSize} by more than two blocks (${slack} bytes) and no replica needs the older bytes`);
      }
    }
    if ((i.replid2 === ZERO_ID) !== (i.secondReplOffset === -1)) {
      once(`second/${n}`, n, s.t, `master_replid2 ${i.replid2.slice(0, 8)}… with second_repl_offset ${i.secondReplOffset}: −1 goes with an all-zero replid2 and only with it`);
    }
    if (i.connectedSlaves !== i.slaves.length) once(`count/${n}`, n, s.t, `connected_slaves:${i.connectedSlaves} but ${i.slaves.length} slaveN lines`);
    for (const sl of i.slaves) {
      if (sl.state === 'online' && sl.offset > i.masterReplOffset) {
        once(`ack/${n}/${sl.name}`, n, s.t,
          `replica ${sl.name} acknowledged offset ${sl.offset}, beyond ${n}'s own master_repl_offset ${i.masterReplOffset} at ${formatMicros(s.t)}: it claims bytes that were never produced`);
      }
      // lag is unixtime − the last ACK's unixtime: a clock stepped back makes it negative, in Redis too.
      const clockStepped = anyWithin(clockFaults.get(n), 0, s.t);
      if (sl.lag < 0 && !clockStepped) once(`lag/${n}/${sl.name}`, n, s.t, `replica ${sl.name} has a negative lag (${sl.lag})`);
    }
    if (s.role === 'slave') {
      const up = i.linkStatus === 'up';
      if (up !== (s.link === 'connected')) once(`link/${n}`, n, s.t, `master_link_status:${i.linkStatus ?? '?'} while the link is ${s.link}`);
      if (up && i.syncInProgress === 1) once(`sync/${n}`, n, s.t, 'master_sync_in_progress:1 with master_link_status:up');
    }
  }
  return out.result();
}
