/**
 * One section per failover attempt (a master name, an epoch — the `+new-epoch` before a
 * `+try-failover` — and the address failed over), read from the Sentinels' events as an operator
 * reads the logs of a failover (sentinelFailoverStateMachine's order): the fault before it, then `+sdown` → `+odown` → `+try-failover` →
 * `+elected-leader` → `+selected-slave` → `+promoted-slave` → `+switch-master` → replicas
 * reconfigured (`+slave-reconf-done`, `+failover-end`), every Sentinel switched, the old
 * master converted (`+convert-to-slave`); which replica was chosen and why
 * (compareSlavesForPromotion: priority, then offset, then runid); the window in which each
 * Sentinel-aware client had no writable master. An attempt that is not elected, finds no
 * replica or times out says so (`-failover-abort-*`).
 */
import type { Micros } from '../engine/index.js';
import type { TraceRecord } from '../engine/index.js';
import type { SentinelEventRecord } from './sentinel-events.js';
import { parseEventInstance, type ReplicaView, type SentinelHistory } from './sentinel-history.js';

export interface FailoverStep {
  /** The event type (`+sdown`, …), `fault`, or `crash` (the Sentinel running it ended). */
  step: string;
  t: Micros;
  /** The Sentinel (or the node, for a fault) it was seen on. */
  by: string;
  detail: string;
}

export interface ClientOutage {
  client: string;
  /** The first write that failed (error, timeout, disconnection) … */
  fromUs: Micros;
  /** … until the next acknowledged one; null: none before the end. */
  toUs: Micros | null;
}

export interface Failover {
  master: string;
  epoch: number;
  /** Sentinels that started a failover in this epoch (two or more: split votes). */
  candidates: string[];
  leader: string | null;
  outcome: 'switched' | 'aborted' | 'unfinished';
  /** The abort event, when aborted (`-failover-abort-not-elected`, …), or `crash` when the last candidate's process ended. */
  abort?: string;
  from: string;
  to: string | null;
  /** In virtual time order. */
  steps: FailoverStep[];
  /** Why the leader chose `to` (null when no selection was recorded). */
  why: string | null;
  replicas: ReplicaView[];
  /** When every Sentinel that switched had switched, and how many did. */
  allSwitchedUs: Micros | null;
  sentinelsSwitched: number;
  clientOutages: ClientOutage[];
}

const MILESTONES = ['+sdown', '+odown', '+try-failover', '+elected-leader', '+selected-slave', '+promoted-slave', '+switch-master', '+slave-reconf-done', '+failover-end', '+failover-end-for-timeout', '+convert-to-slave'];

function masterOf(e: SentinelEventRecord): string | null {
  if (e.type === '+switch-master') return e.msg.split(' ')[0] ?? null;
  return parseEventInstance(e.msg).master;
}

export function findFailovers(h: SentinelHistory, sentinelCount: number): Failover[] {
  const out: Failover[] = [];
  const epochOf = new Map<string, number>();
  /** The attempt each Sentinel is running (its events go there until it ends). */
  const running = new Map<string, Failover>();
  const byKey = new Map<string, Failover>();
  let windowStart = 0;
  const crashes = { list: h.faults.filter((r) => r.kind === 'sentinel.crash'), next: 0 };
  for (const e of h.events) {
    windowStart = dropCrashedAttempts(crashes, e.t, running) ?? windowStart;
    if (e.type === '+new-epoch') {
      epochOf.set(e.sentinel, Number(e.msg));
      continue;
    }
    if (e.type === '+try-failover') {
      const p = parseEventInstance(e.msg);
      const epoch = epochOf.get(e.sentinel) ?? 0;
      // One attempt per master, epoch and old address: candidates of a split vote fail over
      // the same address; SENTINEL FAILOVER on Sentinels that had not yet heard of each
      // other's switch can reuse an epoch for another address (forced: no election).
      const key = `${p.name}\u0000${epoch}\u0000${p.host}`;
      let f = byKey.get(key);
      if (!f) {
        f = { master: p.name, epoch, candidates: [], leader: null, outcome: 'unfinished', from: p.host, to: null, steps: [], why: null, replicas: [], allSwitchedUs: null, sentinelsSwitched: 0, clientOutages: [] };
        byKey.set(key, f);
        out.push(f);
        addLeadUp(h, f, windowStart, e.t);
      }
      f.candidates.push(e.sentinel);
      f.steps.push({ step: '+try-failover', t: e.t, by: e.sentinel, detail: `epoch ${epoch}` });
      running.set(e.sentinel, f);
      continue;
    }
    const f = running.get(e.sentinel);
    if (f && masterOf(e) === f.master) {
      if (e.type.startsWith('-failover-abort')) {
        f.steps.push({ step: e.type, t: e.t, by: e.sentinel, detail: '' });
        leaveAttempt(running, e.sentinel, f, e.type);
        windowStart = e.t;
        continue;
      }
      if (e.type === '+elected-leader') f.leader = e.sentinel;
      if (MILESTONES.includes(e.type) && e.type !== '+sdown' && e.type !== '+odown') {
        const p = parseEventInstance(e.msg);
        if (e.type === '+selected-slave') f.to = p.host;
        if (e.type !== '+slave-reconf-done' || !f.steps.some((s) => s.step === e.type && s.detail === p.host)) {
          f.steps.push({ step: e.type, t: e.t, by: e.sentinel, detail: e.type === '+switch-master' ? switchText(e.msg) : stepDetail(e.type, p.host) });
        }
      }
      if (e.type === '+switch-master') {
        f.outcome = 'switched';
        f.to = e.msg.split(' ')[3] ?? f.to;
        running.delete(e.sentinel);
        windowStart = e.t;
      }
    }
  }
  dropCrashedAttempts(crashes, Infinity, running);
  for (const f of out) finishFailover(h, f, sentinelCount);
  return out;
}

/** A Sentinel stops running `f`; the attempt is aborted when no candidate of its epoch is still at it. */
function leaveAttempt(running: Map<string, Failover>, sentinel: string, f: Failover, abort: string): void {
  running.delete(sentinel);
  if (f.outcome !== 'switched' && ![...running.values()].includes(f)) {
    f.outcome = 'aborted';
    f.abort = abort;
  }
}

/**
 * A Sentinel whose process ended before `t` (a crash, SENTINEL SIMULATE-FAILURE's exit) drops
 * the attempt it was running: what it says after a restart belongs to no attempt of its own.
 * Returns the time of the last drop (the start of the next lead-up window), or null.
 */
function dropCrashedAttempts(crashes: { list: readonly TraceRecord[]; next: number }, t: number, running: Map<string, Failover>): number | null {
  let last: number | null = null;
  for (; crashes.next < crashes.list.length && crashes.list[crashes.next]!.t < t; crashes.next++) {
    const c = crashes.list[crashes.next]!;
    const f = running.get(c.node ?? '');
    if (!f) continue;
    f.steps.push({ step: 'crash', t: c.t, by: c.node!, detail: 'its process ended: the attempt is dropped' });
    leaveAttempt(running, c.node!, f, 'crash');
    last = c.t;
  }
  return last;
}

function switchText(msg: string): string {
  const [, oldIp, oldPort, newIp, newPort] = msg.split(' ');
  return `${oldIp}:${oldPort} → ${newIp}:${newPort}`;
}

function stepDetail(type: string, host: string): string {
  switch (type) {
    case '+selected-slave':
      return `chose ${host}`;
    case '+promoted-slave':
      return `${host} reports role:master`;
    case '+slave-reconf-done':
      return `${host} replicates from the new master`;
    default:
      return '';
  }
}

/** The fault, first `+sdown` and first `+odown` of the master since the previous attempt ended. */
function addLeadUp(h: SentinelHistory, f: Failover, fromUs: Micros, tryUs: Micros): void {
  let sdown: SentinelEventRecord | undefined;
  let odown: SentinelEventRecord | undefined;
  for (const e of h.events) {
    if (e.t < fromUs || e.t > tryUs) continue;
    const p = parseEventInstance(e.msg);
    if (p.kind !== 'master' || p.name !== f.master) continue;
    if (e.type === '+sdown' && !sdown) sdown = e;
    if (e.type === '+odown' && !odown) odown = e;
  }
  const ref = sdown?.t ?? tryUs;
  let fault: TraceRecord | undefined;
  for (const r of h.faults) {
    if (r.t > ref) break;
    if (r.t >= fromUs && r.kind.startsWith('fault.')) fault = r;
    if (r.t >= fromUs && r.kind === 'client.command' && /^SENTINEL\s+FAILOVER/i.test(String(r['command']))) fault = r;
  }
  if (fault) f.steps.push({ step: 'fault', t: fault.t, by: fault.node ?? '', detail: faultText(fault) });
  if (sdown) f.steps.push({ step: '+sdown', t: sdown.t, by: sdown.sentinel, detail: 'first Sentinel to see it down' });
  if (odown) f.steps.push({ step: '+odown', t: odown.t, by: odown.sentinel, detail: odown.msg.split(' ').slice(4).join(' ') });
}

export function faultText(r: TraceRecord): string {
  const kind = r.kind.replace(/^fault\./, '');
  if (r.kind === 'client.command') return `${r.node}: ${String(r['command'])}`;
  if (kind === 'partition') return `partition ${String(r['groups'])}`;
  if (kind === 'partition-one-way') return `one-way partition ${String(r['from'])} → ${String(r['to'])}`;
  if (kind === 'pause') return `pause ${r.node}${Number(r['for_us']) > 0 ? ` for ${Number(r['for_us']) / 1e6}s` : ''}`;
  return `${kind} ${r.node ?? ''}`.trim();
}

function finishFailover(h: SentinelHistory, f: Failover, sentinelCount: number): void {
  f.steps.sort((a, b) => a.t - b.t);
  const switched = f.steps.find((s) => s.step === '+switch-master');
  if (switched && f.to !== null) {
    const tail = `${f.master} ${f.from} `;
    const tryUs = f.steps.find((s) => s.step === '+try-failover')?.t ?? 0;
    const times = new Map<string, Micros>();
    for (const e of h.events) {
      // Observers switch on the leader's hello right after the promotion, often before the leader's own +switch-master.
      if (e.type === '+switch-master' && e.t >= tryUs && e.msg.startsWith(tail) && e.msg.split(' ')[3] === f.to && !times.has(e.sentinel)) times.set(e.sentinel, e.t);
    }
    f.sentinelsSwitched = times.size;
    if (times.size === sentinelCount) f.allSwitchedUs = Math.max(...times.values());
    const conv = h.events.find((e) => e.type === '+convert-to-slave' && e.t > switched.t && parseEventInstance(e.msg).host === f.from);
    if (conv) f.steps.push({ step: '+convert-to-slave', t: conv.t, by: conv.sentinel, detail: `${f.from} made a replica of ${f.to}` });
  }
  const sel = f.leader === null ? undefined : h.selections.find((s) => s.sentinel === f.leader && s.master === f.master && f.steps.some((x) => x.step === '+selected-slave' && x.t === s.t));
  if (sel) {
    f.replicas = sel.replicas;
    f.why = selectionReason(sel.chosen, sel.replicas);
  }
  const first = f.steps[0]?.t ?? 0;
  const end = f.steps[f.steps.length - 1]?.t ?? first;
  f.clientOutages = outages(h, first, end);
}

/** compareSlavesForPromotion's first deciding rule, in words. */
export function selectionReason(chosen: string, replicas: readonly ReplicaView[]): string {
  const me = replicas.find((r) => r.replica === chosen);
  const others = replicas.filter((r) => r.replica !== chosen && r.excluded === '');
  const excluded = replicas.filter((r) => r.excluded !== '').map((r) => `${r.replica} excluded (${r.excluded})`);
  const tail = excluded.length > 0 ? `; ${excluded.join(', ')}` : '';
  if (!me) return `chose ${chosen}${tail}`;
  if (others.length === 0) return `${chosen} was the only eligible replica${tail}`;
  if (others.every((o) => o.priority > me.priority)) {
    return `lowest replica-priority: ${me.priority} vs ${others.map((o) => `${o.replica} ${o.priority}`).join(', ')}${others.some((o) => o.offset > me.offset) ? ' (priority wins over offset)' : ''}${tail}`;
  }
  const same = others.filter((o) => o.priority === me.priority);
  if (same.every((o) => o.offset < me.offset)) return `same priority ${me.priority}; largest replication offset: ${me.offset} vs ${same.map((o) => `${o.replica} ${o.offset}`).join(', ')}${tail}`;
  return `same priority and offset (${me.priority}, ${me.offset}); smallest runid${tail}`;
}

/** Per client: from the first failed write after `fromUs` to the next acknowledged one. */
function outages(h: SentinelHistory, fromUs: Micros, endUs: Micros): ClientOutage[] {
  const out: ClientOutage[] = [];
  const clients = [...new Set(h.writes.map((w) => w.client))];
  for (const client of clients) {
    const mine = h.writes.filter((w) => w.client === client && w.completedUs !== null && w.completedUs >= fromUs);
    const failed = mine.find((w) => w.reply !== 'OK');
    if (!failed || failed.completedUs! > endUs) continue;
    const back = mine.find((w) => w.reply === 'OK' && w.completedUs! > failed.completedUs!);
    out.push({ client, fromUs: failed.invokedUs, toUs: back?.completedUs ?? null });
  }
  return out;
}
