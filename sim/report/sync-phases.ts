/**
 * Trace records → one SyncReport per SYNC/PSYNC a master accepted, with its phases as
 * Redis would log them (replication.c: syncCommand, startBgsaveForReplication,
 * readSyncBulkPayload): waiting for a BGSAVE, fork, RDB
 * generation, the parent's reap on its next cron tick, transfer, flush, load, and the
 * catch-up of the stream the master buffered meanwhile. Pure: records in, reports out.
 *
 * Records are matched to syncs by names only, as the trace has them: master-side records
 * carry `replica`, replica-side records are the replica's own, fork records carry `fork`.
 * A replica has at most one sync in flight; a master may briefly hold a stale client of
 * a replica that already asked again, so master-side endings go to the oldest open sync.
 */
import type { Micros, TraceEvent, TraceRecord } from '../engine/index.js';
import { formatBytes } from './format.js';
import type { Phase, PhaseName, SyncKind, SyncOutcome, SyncReport } from './report-data.js';

interface ForkInfo {
  id: number;
  t: Micros;
  target: 'disk' | 'socket';
  keys: number;
  bytes: number;
  childStartUs: Micros | null;
  childDoneUs: Micros | null;
  bgsaveDoneUs: Micros | null;
  killedUs: Micros | null;
}

interface Draft {
  id: number;
  replica: string;
  master: string;
  kind: SyncKind | null;
  psyncRefused: string | null;
  requestedOffset: number;
  startUs: Micros;
  waitNote: string | null;
  fork: ForkInfo | null;
  sendBulkUs: Micros | null;
  psyncBytes: number;
  masterEndUs: Micros | null;
  masterEndReason: string | null;
  transferDoneUs: Micros | null;
  transferBytes: number;
  flushUs: Micros | null;
  flushKeys: number;
  loadMode: string | null;
  loadKeys: number;
  loadDoneUs: Micros | null;
  linkUpUs: Micros | null;
  linkUpOffset: number;
  caughtUpUs: Micros | null;
  caughtUpOffset: number;
  aofRewrite: { t: Micros; endUs: Micros | null; keys: number } | null;
  replicaEndUs: Micros | null;
  replicaEndReason: string | null;
}

/** Field readers typed by the record's kind (narrowed by the switch): a misspelt field fails to compile. */
const num = <R extends TraceEvent>(r: R, k: keyof R & string): number => Number(r[k] ?? 0);
const str = <R extends TraceEvent>(r: R, k: keyof R & string): string => String(r[k] ?? '');

export function buildSyncs(records: readonly TraceEvent[], runEndUs: Micros): SyncReport[] {
  const drafts: Draft[] = [];
  const forks = new Map<string, Map<number, ForkInfo>>();
  const lastFork = new Map<string, ForkInfo>();
  /** master\0replica → drafts whose master side is still open, oldest first. */
  const masterOpen = new Map<string, Draft[]>();
  /** replica → its latest sync. */
  const current = new Map<string, Draft>();
  const key = (m: string, r: string): string => `${m}\u0000${r}`;
  const latestOf = (m: string, r: string): Draft | undefined => masterOpen.get(key(m, r))?.at(-1);
  const closeMaster = (d: Draft | undefined, t: Micros, reason: string): void => {
    if (!d) return;
    if (d.masterEndUs === null) {
      d.masterEndUs = t;
      d.masterEndReason = reason;
    }
    const list = masterOpen.get(key(d.master, d.replica));
    if (list) list.splice(list.indexOf(d), 1);
  };
  const endReplicaSide = (d: Draft | undefined, t: Micros, reason: string): void => {
    if (!d || d.caughtUpUs !== null || d.replicaEndUs !== null) return;
    d.replicaEndUs = t;
    d.replicaEndReason = reason;
  };

  for (const r of records) {
    const node = r.node ?? '';
    const replica = 'replica' in r ? r.replica : '';
    switch (r.kind) {
      case 'master.sync-request': {
        const peer = replica;
        endReplicaSide(current.get(peer), r.t, 'the replica asked again');
        const d: Draft = {
          id: drafts.length + 1, replica: peer, master: node, kind: null, psyncRefused: null,
          requestedOffset: num(r, 'offset'), startUs: r.t, waitNote: null, fork: null, sendBulkUs: null, psyncBytes: 0,
          masterEndUs: null, masterEndReason: null, transferDoneUs: null, transferBytes: 0, flushUs: null, flushKeys: 0,
          loadMode: null, loadKeys: 0, loadDoneUs: null, linkUpUs: null, linkUpOffset: 0, caughtUpUs: null, caughtUpOffset: 0,
          aofRewrite: null, replicaEndUs: null, replicaEndReason: null,
        };
        drafts.push(d);
        current.set(peer, d);
        const k = key(node, peer);
        masterOpen.set(k, [...(masterOpen.get(k) ?? []), d]);
        break;
      }
      case 'master.psync-rejected': {
        const d = latestOf(node, replica);
        if (d) d.psyncRefused = str(r, 'reason');
        break;
      }
      case 'master.full-resync-queued': {
        const d = latestOf(node, replica);
        if (d) d.kind = 'full';
        break;
      }
      case 'master.psync-accepted': {
        const d = latestOf(node, replica);
        if (d) {
          d.kind = 'partial';
          d.psyncBytes = num(r, 'bytes');
        }
        break;
      }
      case 'master.delay-bgsave': {
        const d = latestOf(node, replica);
        if (d) d.waitNote = `repl-diskless-sync-delay ${str(r, 'delay')}`;
        break;
      }
      case 'master.wait-next-bgsave': {
        const d = latestOf(node, replica);
        if (d) d.waitNote = str(r, 'reason');
        break;
      }
      case 'rdb.fork': {
        const f: ForkInfo = {
          id: num(r, 'fork'), t: r.t, target: str(r, 'target') === 'socket' ? 'socket' : 'disk', keys: num(r, 'keys'),
          bytes: num(r, 'bytes'), childStartUs: null, childDoneUs: null, bgsaveDoneUs: null, killedUs: null,
        };
        if (!forks.has(node)) forks.set(node, new Map());
        forks.get(node)!.set(f.id, f);
        lastFork.set(node, f);
        break;
      }
      case 'rdb.child-start':
      case 'rdb.child-done':
      case 'rdb.bgsave-done':
      case 'rdb.child-killed': {
        const f = forks.get(node)?.get(num(r, 'fork'));
        if (!f) break;
        if (r.kind === 'rdb.child-start') f.childStartUs = r.t;
        else if (r.kind === 'rdb.child-done') f.childDoneUs = r.t;
        else if (r.kind === 'rdb.bgsave-done') f.bgsaveDoneUs = r.t;
        else f.killedUs = r.t;
        break;
      }
      case 'master.fullresync': {
        // setupFullResync runs right after the fork it binds the replica to (or while that fork runs).
        const d = latestOf(node, replica);
        const f = lastFork.get(node);
        if (d && f) d.fork = f;
        break;
      }
      case 'master.send-bulk': {
        const d = latestOf(node, replica);
        if (d) d.sendBulkUs = r.t;
        break;
      }
      case 'master.cob-disconnect':
        closeMaster(masterOpen.get(key(node, replica))?.[0], r.t, `output-buffer limit (${formatBytes(num(r, 'usage'))} while ${str(r, 'state')})`);
        break;
      case 'master.replica-timeout':
        closeMaster(masterOpen.get(key(node, replica))?.[0], r.t, `the master timed it out (${str(r, 'mode')})`);
        break;
      case 'master.replica-lost':
        closeMaster(masterOpen.get(key(node, replica))?.[0], r.t, str(r, 'reason'));
        break;
      case 'server.crash': {
        for (const list of [...masterOpen.entries()].filter(([k]) => k.startsWith(`${node}\u0000`)).map(([, l]) => [...l])) {
          for (const d of list) closeMaster(d, r.t, 'the master crashed');
        }
        endReplicaSide(current.get(node), r.t, 'the replica crashed');
        break;
      }
      case 'replica.transfer-done': {
        const d = current.get(node);
        if (d && d.replicaEndUs === null) {
          d.transferDoneUs = r.t;
          d.transferBytes = num(r, 'bytes');
        }
        break;
      }
      case 'replica.transfer-start': {
        const d = current.get(node);
        if (d && d.replicaEndUs === null) d.loadMode = str(r, 'load');
        break;
      }
      case 'replica.flush': {
        const d = current.get(node);
        if (d && d.replicaEndUs === null) {
          d.flushUs = num(r, 'us');
          d.flushKeys = num(r, 'keys');
        }
        break;
      }
      case 'replica.load-done': {
        const d = current.get(node);
        if (d && d.replicaEndUs === null) {
          d.loadDoneUs = r.t;
          d.loadKeys = num(r, 'keys');
        }
        break;
      }
      case 'replica.link-up': {
        const d = current.get(node);
        if (d && d.replicaEndUs === null && d.linkUpUs === null) {
          d.linkUpUs = r.t;
          d.linkUpOffset = num(r, 'offset');
        }
        break;
      }
      case 'obs.caught-up': {
        const d = current.get(node);
        if (d && d.replicaEndUs === null && d.linkUpUs !== null && d.caughtUpUs === null) {
          d.caughtUpUs = r.t;
          d.caughtUpOffset = num(r, 'offset');
        }
        break;
      }
      case 'aof.rewrite-start': {
        // restartAOFAfterSYNC: the rewrite child forks right after the load (or once another child ends).
        const d = current.get(node);
        if (d && d.loadDoneUs !== null && d.aofRewrite === null) d.aofRewrite = { t: r.t, endUs: null, keys: num(r, 'keys') };
        break;
      }
      case 'aof.rewrite': {
        // Usually after the sync ended (caught up): the phase is then clipped to the sync.
        const d = current.get(node);
        if (d && d.aofRewrite !== null && d.aofRewrite.endUs === null) d.aofRewrite.endUs = r.t;
        break;
      }
      case 'replica.link-closed':
        endReplicaSide(current.get(node), r.t, `link closed (${str(r, 'reason')}) while ${str(r, 'state')}`);
        break;
      case 'replica.link-down':
        endReplicaSide(current.get(node), r.t, `link down: ${str(r, 'reason')}`);
        break;
      case 'replica.timeout':
        endReplicaSide(current.get(node), r.t, `repl-timeout while ${str(r, 'phase')}`);
        break;
      case 'replica.replicaof':
      case 'replica.promoted':
        endReplicaSide(current.get(node), r.t, r.kind === 'replica.promoted' ? 'promoted to master' : 'REPLICAOF');
        break;
    }
  }

  const perReplica = new Map<string, number>();
  return drafts.map((d) => {
    const n = (perReplica.get(d.replica) ?? 0) + 1;
    perReplica.set(d.replica, n);
    return finishSync(d, n, runEndUs);
  });
}

function finishSync(d: Draft, nth: number, runEndUs: Micros): SyncReport {
  let outcome: SyncOutcome;
  let endUs: Micros;
  let endReason: string | null = null;
  if (d.caughtUpUs !== null) {
    outcome = 'done';
    endUs = d.caughtUpUs;
  } else if (d.replicaEndUs !== null || (d.masterEndUs !== null && d.linkUpUs === null)) {
    outcome = d.linkUpUs !== null ? 'interrupted' : 'aborted';
    endUs = d.replicaEndUs ?? d.masterEndUs!;
    if (d.masterEndUs !== null && d.replicaEndUs !== null) endUs = Math.max(d.startUs, Math.min(d.replicaEndUs, d.masterEndUs));
    // The master's reason comes first: the replica only sees the connection close.
    endReason = d.masterEndReason ?? d.replicaEndReason;
  } else {
    outcome = 'running';
    endUs = runEndUs;
  }
  const kind: SyncKind = d.kind ?? 'full';
  const phases = kind === 'partial' ? partialPhases(d, endUs) : fullPhases(d, endUs);
  const last = phases.filter((p) => p.onPath).at(-1);
  if (last && outcome !== 'done' && outcome !== 'running' && endReason !== null) last.note = `ended: ${endReason}`;
  const transfer = phases.find((p) => p.name === 'transfer');
  return {
    id: d.id,
    replica: d.replica,
    master: d.master,
    kind,
    nthForReplica: nth,
    psyncRefused: d.psyncRefused,
    requestedOffset: d.requestedOffset,
    startUs: d.startUs,
    endUs,
    outcome,
    endReason,
    rdbTarget: kind === 'full' ? (d.fork?.target ?? null) : null,
    bytes: kind === 'partial' ? d.psyncBytes : (transfer?.bytes ?? 0),
    phases,
  };
}

function phase(name: PhaseName, startUs: Micros, endUs: Micros, onPath: boolean, extra: Partial<Phase> = {}): Phase {
  return { name, startUs, endUs, onPath, bytes: null, keys: null, note: null, ...extra };
}

/** Clips phases to the sync's [start, end] and drops what did not happen inside it. */
function clip(phases: Phase[], startUs: Micros, endUs: Micros): Phase[] {
  const out: Phase[] = [];
  for (const p of phases) {
    const s = Math.max(p.startUs, startUs);
    const e = Math.min(p.endUs, endUs);
    if (s > e || (s === e && p.startUs < startUs)) continue;
    out.push({ ...p, startUs: s, endUs: e });
  }
  return out;
}

function fullPhases(d: Draft, endUs: Micros): Phase[] {
  const f = d.fork;
  const out: Phase[] = [];
  const forkStart = f ? Math.max(f.t, d.startUs) : endUs;
  if (forkStart > d.startUs) out.push(phase('wait-bgsave', d.startUs, forkStart, true, { note: d.waitNote }));
  if (!f) return clip(out, d.startUs, endUs);
  const attached = f.t < d.startUs;
  const childStart = f.childStartUs ?? endUs;
  out.push(phase('fork', f.t, childStart, true, { keys: f.keys }));
  const childEnd = f.childDoneUs ?? f.killedUs ?? endUs;
  const diskless = f.target === 'socket';
  out.push(phase('rdb', childStart, childEnd, !diskless, {
    keys: f.keys, bytes: f.bytes, note: attached ? 'attached to a BGSAVE already running' : diskless ? 'written straight to the replica sockets' : null,
  }));
  if (!diskless && f.childDoneUs !== null) out.push(phase('reap', f.childDoneUs, f.bgsaveDoneUs ?? endUs, true, { note: 'the parent notices the exit on its next serverCron tick' }));
  const transferStart = diskless ? childStart : (d.sendBulkUs ?? f.bgsaveDoneUs);
  if (transferStart !== null && (diskless ? f.childStartUs !== null : true)) {
    const transferEnd = d.transferDoneUs ?? endUs;
    out.push(phase('transfer', transferStart, transferEnd, true, { bytes: d.transferDoneUs !== null ? d.transferBytes : null }));
    if (d.transferDoneUs !== null) {
      let loadStart = d.transferDoneUs;
      if (d.flushUs !== null) {
        loadStart = d.transferDoneUs + d.flushUs;
        out.push(phase('flush', d.transferDoneUs, Math.min(loadStart, d.loadDoneUs ?? endUs), true, { keys: d.flushKeys }));
      }
      const parsing = d.loadMode !== null && d.loadMode !== 'disk';
      out.push(phase('load', loadStart, d.loadDoneUs ?? endUs, true, {
        keys: d.loadDoneUs !== null ? d.loadKeys : null, bytes: f.bytes,
        note: parsing ? `diskless load (${d.loadMode}): parsing overlapped the transfer` : null,
      }));
      if (d.aofRewrite !== null) {
        out.push(phase('aof-rewrite', d.aofRewrite.t, d.aofRewrite.endUs ?? endUs, false, {
          keys: d.aofRewrite.keys, note: 'appendonly yes: a forked child rewrites the AOF from the loaded data (no other fork meanwhile); shown up to the end of the sync',
        }));
      }
      if (d.linkUpUs !== null) {
        out.push(phase('catch-up', d.linkUpUs, d.caughtUpUs ?? endUs, true, {
          bytes: d.caughtUpUs !== null ? d.caughtUpOffset - d.linkUpOffset : null,
        }));
      }
    }
  }
  return clip(out, d.startUs, endUs);
}

function partialPhases(d: Draft, endUs: Micros): Phase[] {
  return clip([
    phase('catch-up', d.startUs, d.caughtUpUs ?? endUs, true, {
      bytes: d.psyncBytes, note: `+CONTINUE: ${d.psyncBytes} bytes of backlog from offset ${d.requestedOffset}`,
    }),
  ], d.startUs, endUs);
}
