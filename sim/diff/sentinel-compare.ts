/**
 * Real redis-sentinel against replsim's Sentinels: what is compared and how.
 *
 * Run ids are random in real Redis, and which Sentinel wins the election depends on
 * 10–19 Hz timers with random phases, so Sentinels are compared as relations:
 * - Sentinel names: the elected leaders of the two worlds are paired, then the others by
 *   name (so "s2 voted for the leader" means the same in both worlds).
 * - Addresses become node names (real: the fault proxy's port; replsim: the host name).
 *
 * Per Sentinel, its final SENTINEL MASTER fields (`address`, `flags` as a set, `num-slaves`,
 * `num-other-sentinels`, `config-epoch`) must be equal; its events from the first fault on,
 * normalised to `type instance` tokens (`+sdown master m1`, `+switch-master m1 r1`,
 * `+vote-for-leader <leader> 1`), must be equal: in order for the elected leader's failover
 * steps (instances of one event type within one tick sorted, since they come in dict order;
 * events about other replicas and Sentinels as a multiset), as a multiset for the others (an observer's +sdown races the leader's vote
 * request, both triggered by random phases); `+convert-to-slave`/`+fix-slave-config` are
 * counted over all Sentinels (`any`: whichever Sentinel's INFO comes first acts). Except:
 * - verbose `±role-change` is left out, and so is `-odown` (the leader clears ODOWN when the
 *   observers, already switched by its hello, answer is-master-down-by-addr with 0 — if one
 *   of its 1 s ask rounds falls before its own +failover-end);
 * - non-leaders' `+odown`, `+try-failover` and `+vote-for-leader` are left out: whether an
 *   observer's own is-master-down-by-addr round completes before the leader's vote request
 *   arrives (then it starts its own attempt in the same epoch, votes for itself and loses)
 *   depends on the phases of the 1 s ask periods and the ticks, in both worlds;
 * - an event only one world has, within TAIL_MS of the end of the run (the other world was
 *   not there yet — both are inside the stated timing tolerance).
 * The failover timeline (fault → first +sdown, → first +odown, → first +switch-master, → last
 * +switch-master) is compared with a tolerance per step (timingTolerances).
 */
import type { Micros } from '../engine/index.js';
import type { SentinelFinal } from '../scenario/sentinel-expect.js';
import type { Scenario } from '../scenario/scenario.js';
import type { SentinelEventRecord } from './sentinel-watch.js';

/** One world's Sentinels, as compared. */
export interface SentinelWorld {
  events: readonly SentinelEventRecord[];
  finals: Record<string, SentinelFinal>;
  /** `ip`, `port` in an event → the node or Sentinel there (or `?ip:port`). */
  nameAt(ip: string, port: string): string;
  /** A run id → the Sentinel whose id it is (or the id itself). */
  sentinelById(runid: string): string;
}

export const SENTINEL_FIELDS = ['address', 'flags', 'num-slaves', 'num-other-sentinels', 'config-epoch'] as const;

export interface SentinelFieldComparison {
  /** The Sentinel (real name; replsim's paired one in `simSentinel`). */
  sentinel: string;
  simSentinel: string;
  /** The monitored master's name. */
  master: string;
  field: string;
  real: string;
  sim: string;
  equal: boolean;
}

export interface SentinelTimingComparison {
  step: string;
  /** ms after the fault, or null when the world never got there. */
  realMs: number | null;
  simMs: number | null;
  /** ms since the step before (the fault for the first): what the tolerance applies to. */
  realStepMs: number | null;
  simStepMs: number | null;
  toleranceMs: number;
  equal: boolean;
}

export interface SentinelComparison {
  /** real Sentinel name → replsim's Sentinel it is compared with. */
  pairing: Record<string, string>;
  fields: SentinelFieldComparison[];
  /** Per real Sentinel: the tokens of each world, and whether they agree. */
  sequences: Array<{ sentinel: string; simSentinel: string; real: string[]; sim: string[]; equal: boolean; excused: string[] }>;
  timings: SentinelTimingComparison[];
  faultUs: Micros | null;
}

/** Events that start a fault for the timeline (the first such step). */
const FAULTS = new Set(['crash', 'pause', 'partition', 'partition-one-way', 'power-loss']);
/** A one-world event this close to the end is excused (the other world had not got there). */
const TAIL_MS = 1500;
/** Never in a compared sequence (see the header). */
const NEVER = new Set(['+role-change', '-role-change', '+monitor', '-odown']);
/** Left out of non-leaders' sequences when some Sentinel was elected (see the header). */
const LEADER_ONLY = new Set(['+odown', '+try-failover', '+vote-for-leader']);
/**
 * Discovery (`+slave` from a master's INFO, `+sentinel` from a hello) is compared only as
 * the re-creation of the replicas at a switch (same tick as `+switch-master`); otherwise its
 * moment depends on when each replica's 1 Hz replicationCron first connected, which the
 * final `num-slaves` and `num-other-sentinels` check instead.
 */
const DISCOVERY = new Set(['+slave', '+sentinel']);
function afterSwitch(w: SentinelWorld, e: SentinelEventRecord): boolean {
  return w.events.some((x) => x.sentinel === e.sentinel && x.type === '+switch-master' && x.atUs <= e.atUs && e.atUs - x.atUs <= IN_TICK_US);
}
/** Done by whichever Sentinel's INFO comes first: counted over all Sentinels, as `any`. */
const ANY_ONE = new Set(['+convert-to-slave', '+fix-slave-config']);

/** `%@` instance and the rest of an event message → a stable token. */
export function eventToken(e: SentinelEventRecord, w: SentinelWorld, rename: (sentinel: string) => string): string {
  const words = e.msg.split(' ');
  const kind = words[0];
  if (kind === 'master' && words.length >= 4) return `${e.type} master ${w.nameAt(words[2]!, words[3]!)}`;
  if (kind === 'slave' && words.length >= 4) return `${e.type} slave ${w.nameAt(words[2]!, words[3]!)}`;
  // The first Sentinel to tell an observer of the switch may be the leader or any observer
  // that switched before (hellos carry the configuration onward): only the event counts.
  if (e.type === '+config-update-from') return `${e.type} sentinel`;
  if (kind === 'sentinel' && words.length >= 4) return `${e.type} sentinel ${rename(w.sentinelById(words[1]!))}`;
  if (e.type === '+switch-master' && words.length >= 5) return `${e.type} ${w.nameAt(words[1]!, words[2]!)} ${w.nameAt(words[3]!, words[4]!)}`;
  if (e.type === '+vote-for-leader' && words.length >= 2) return `${e.type} ${rename(w.sentinelById(words[0]!))} ${words[1]}`;
  if (e.type === '+new-epoch') return `${e.type} ${e.msg}`;
  return e.type;
}

/** The first Sentinel elected (+elected-leader), if any. */
function leaderOf(w: SentinelWorld): string | null {
  return w.events.find((e) => e.type === '+elected-leader')?.sentinel ?? null;
}

/** real name → sim name: leaders paired, then equal names, then the rest in order. */
export function pairSentinels(names: readonly string[], real: SentinelWorld, sim: SentinelWorld): Record<string, string> {
  const out: Record<string, string> = {};
  const rl = leaderOf(real);
  const sl = leaderOf(sim);
  const simLeft = new Set(names);
  const realLeft: string[] = [];
  if (rl !== null && sl !== null) {
    out[rl] = sl;
    simLeft.delete(sl);
  }
  for (const n of names) {
    if (out[n] !== undefined) continue;
    if (simLeft.has(n)) {
      out[n] = n;
      simLeft.delete(n);
    } else realLeft.push(n);
  }
  const rest = [...simLeft];
  realLeft.forEach((n, i) => (out[n] = rest[i]!));
  return out;
}

export function compareSentinels(scenario: Scenario, real: SentinelWorld, sim: SentinelWorld): SentinelComparison {
  const names = (scenario.sentinels ?? []).map((s) => s.name);
  const pairing = pairSentinels(names, real, sim);
  const simToReal = new Map(Object.entries(pairing).map(([r, s]) => [s, r]));
  const fault = scenario.timeline.find((s) => FAULTS.has(s.action.kind));
  const faultUs = fault?.atUs ?? null;
  const fromUs = faultUs ?? 0;
  const endUs = scenario.durationUs;
  const realLeader = leaderOf(real);
  const keep = (e: SentinelEventRecord, w: SentinelWorld, sentinel: string | null): boolean => {
    if (e.atUs < fromUs || NEVER.has(e.type)) return false;
    if (DISCOVERY.has(e.type) && !afterSwitch(w, e)) return false;
    if (sentinel === null) return ANY_ONE.has(e.type);
    if (e.sentinel !== sentinel || ANY_ONE.has(e.type)) return false;
    const leader = leaderOf(w);
    return leader === null || leader === sentinel || !LEADER_ONLY.has(e.type);
  };
  const tokens = (w: SentinelWorld, sentinel: string | null, rename: (s: string) => string): Token[] =>
    inTickOrder(w.events.filter((e) => keep(e, w, sentinel)).map((e) => ({ t: eventToken(e, w, rename), atUs: e.atUs, type: e.type })));
  const fields: SentinelFieldComparison[] = [];
  const sequences: SentinelComparison['sequences'] = [];
  for (const r of names) {
    const s = pairing[r]!;
    const rf = real.finals[r];
    const sf = sim.finals[s];
    for (const master of Object.keys({ ...rf?.masters, ...sf?.masters })) {
      for (const field of SENTINEL_FIELDS) {
        const rv = normalise(field, rf?.alive ? rf.masters[master]?.[field] : 'down');
        const sv = normalise(field, sf?.alive ? sf.masters[master]?.[field] : 'down');
        fields.push({ sentinel: r, simSentinel: s, master, field, real: rv, sim: sv, equal: rv === sv });
      }
    }
    const rt = tokens(real, r, (x) => x);
    const st = tokens(sim, s, (x) => simToReal.get(x) ?? x);
    // The leader's steps follow one another; an observer's events race the leader's (see the header).
    const { equal, excused } = r === realLeader ? alignLeader(rt, st, endUs) : alignSets(rt, st, endUs);
    sequences.push({ sentinel: r, simSentinel: s, real: rt.map((x) => x.t), sim: st.map((x) => x.t), equal, excused });
  }
  const ra = tokens(real, null, (x) => x);
  const sa = tokens(sim, null, (x) => simToReal.get(x) ?? x);
  const all = alignSets(ra, sa, endUs);
  if (ra.length + sa.length > 0) sequences.push({ sentinel: 'any', simSentinel: 'any', real: ra.map((x) => x.t), sim: sa.map((x) => x.t), ...all });
  return { pairing, fields, sequences, timings: compareTimeline(scenario, real, sim, faultUs), faultUs };
}

interface Token {
  t: string;
  atUs: Micros;
  type: string;
}

/** Events of one tick (replsim: one instant; real: published within IN_TICK_US) in a stable order. */
const IN_TICK_US = 5000;
function inTickOrder(xs: Token[]): Token[] {
  const out: Token[] = [];
  let group: Token[] = [];
  const flush = (): void => {
    // Keep the order of event types (it is the code's order), sort instances within a type
    // (they come in dict order, random in real Redis).
    const firstOfType = new Map<string, number>();
    group.forEach((x, i) => firstOfType.has(x.type) || firstOfType.set(x.type, i));
    group.sort((a, b) => firstOfType.get(a.type)! - firstOfType.get(b.type)! || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
    out.push(...group);
    group = [];
  };
  for (const x of xs) {
    if (group.length > 0 && x.atUs - group[group.length - 1]!.atUs > IN_TICK_US) flush();
    group.push(x);
  }
  flush();
  return out;
}

/**
 * The leader: its failover steps (events about the master, the promoted replica, or no
 * instance) in order; events about other replicas and Sentinels as a multiset — each
 * replica's reconfiguration progresses with its own INFO replies, and their +sdown with
 * their own PING phases.
 */
function alignLeader(real: Token[], sim: Token[], endUs: Micros): { equal: boolean; excused: string[] } {
  const promoted = (xs: Token[]): string | undefined => xs.find((x) => x.type === '+selected-slave')?.t.split(' ')[2];
  const chain = (xs: Token[], p: string | undefined): [Token[], Token[]] => {
    const side = (x: Token): boolean => /^\S+ (slave|sentinel) /.test(x.t) && x.t.split(' ')[2] !== p;
    return [xs.filter((x) => !side(x)), xs.filter(side)];
  };
  const [rc, rs] = chain(real, promoted(real));
  const [sc, ss] = chain(sim, promoted(sim));
  const a = alignSequences(rc, sc, endUs);
  const b = alignSets(rs, ss, endUs);
  return { equal: a.equal && b.equal, excused: [...a.excused, ...b.excused] };
}

/** The same events in any order; one-world events in the last TAIL_MS are excused. */
function alignSets(real: Token[], sim: Token[], endUs: Micros): { equal: boolean; excused: string[] } {
  const tailStart = endUs - TAIL_MS * 1000;
  const left = [...sim];
  const excused: string[] = [];
  let equal = true;
  for (const r of real) {
    const i = left.findIndex((x) => x.t === r.t);
    if (i >= 0) left.splice(i, 1);
    else if (r.atUs >= tailStart) excused.push(`real only, last ${TAIL_MS} ms: ${r.t}`);
    else equal = false;
  }
  for (const x of left) {
    if (x.atUs >= tailStart) excused.push(`replsim only, last ${TAIL_MS} ms: ${x.t}`);
    else equal = false;
  }
  return { equal, excused: equal ? excused : [] };
}

function normalise(field: string, v: string | undefined): string {
  if (v === undefined) return '-';
  if (field === 'flags') return v.split(',').sort().join(',');
  if (field === 'address') return v.split(':')[0]!;
  return v;
}

/**
 * Equal sequences, or equal once the events of either world that fall within TAIL_MS of the
 * end (and that the other world lacks) are dropped from its tail.
 */
function alignSequences(real: Token[], sim: Token[], endUs: Micros): { equal: boolean; excused: string[] } {
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  if (same(real.map((x) => x.t), sim.map((x) => x.t))) return { equal: true, excused: [] };
  const tailStart = endUs - TAIL_MS * 1000;
  const trim = (xs: Token[]): Token[] => {
    const out = [...xs];
    while (out.length > 0 && out[out.length - 1]!.atUs >= tailStart) out.pop();
    return out;
  };
  // Drop the tail of one world at a time, then both: the shorter must be a prefix of the other.
  const r = real.map((x) => x.t);
  const s = sim.map((x) => x.t);
  const prefix = (a: string[], b: string[]): boolean => a.length <= b.length && a.every((x, i) => x === b[i]);
  const rt = trim(real).map((x) => x.t);
  const st = trim(sim).map((x) => x.t);
  if (prefix(rt, s) && prefix(s, r)) return { equal: true, excused: r.slice(s.length).map((x) => `real only, last ${TAIL_MS} ms: ${x}`) };
  if (prefix(st, r) && prefix(r, s)) return { equal: true, excused: s.slice(r.length).map((x) => `replsim only, last ${TAIL_MS} ms: ${x}`) };
  return { equal: false, excused: [] };
}

/**
 * How far apart the two worlds may be in each step's duration (from the step before it; the
 * first from the fault). Both run the same rules with random phases: the real timer ticks
 * every 100–190 ms (hz 10 + rand()%10), the PING period starts at each Sentinel's own boot,
 * a replica's INFO comes every 1 s during a failover; and the harness's processes share a
 * loaded machine (LOAD_MS). So:
 * +sdown: one PING period (min(down-after, ping-period)) + 2 ticks;
 * +odown: one ask period (the first round may find the others not yet SDOWN) + 2 ticks;
 * +switch-master (first): two 1 s INFO periods (promotion seen, a replica reconfigured) + 2 ticks;
 * every Sentinel switched: one hello period + one 1 s INFO period + 2 ticks.
 */
const TICK_MS = 190;
const LOAD_MS = 300;
export function timingTolerances(scenario: Scenario): Record<string, number> {
  const s = scenario.sentinels?.[0];
  const m = s?.config.masters[0];
  const ping = Math.min(m?.downAfterMs ?? 30_000, s?.config.timings.pingPeriodMs ?? 1000);
  const ask = s?.config.timings.askPeriodMs ?? 1000;
  const publish = s?.config.timings.publishPeriodMs ?? 2000;
  const slack = 2 * TICK_MS + LOAD_MS;
  return { '+sdown': ping + slack, '+odown': ask + slack, '+switch-master': 2000 + slack, 'all switched': publish + 1000 + slack };
}

function compareTimeline(scenario: Scenario, real: SentinelWorld, sim: SentinelWorld, faultUs: Micros | null): SentinelTimingComparison[] {
  if (faultUs === null) return [];
  const tol = timingTolerances(scenario);
  const after = (w: SentinelWorld, type: string, which: 'first' | 'last', pred: (e: SentinelEventRecord) => boolean = () => true): number | null => {
    const hits = w.events.filter((e) => e.type === type && e.atUs >= faultUs && pred(e));
    if (hits.length === 0) return null;
    if (which === 'last' && new Set(hits.map((h) => h.sentinel)).size < (scenario.sentinels ?? []).length) return null;
    const e = which === 'first' ? hits[0]! : hits[hits.length - 1]!;
    return Math.round((e.atUs - faultUs) / 1000);
  };
  const master = (e: SentinelEventRecord): boolean => e.msg.startsWith('master ');
  const steps: Array<[string, number | null, number | null]> = [
    ['+sdown', after(real, '+sdown', 'first', master), after(sim, '+sdown', 'first', master)],
    ['+odown', after(real, '+odown', 'first'), after(sim, '+odown', 'first')],
    ['+switch-master', after(real, '+switch-master', 'first'), after(sim, '+switch-master', 'first')],
    ['all switched', after(real, '+switch-master', 'last'), after(sim, '+switch-master', 'last')],
  ];
  let prevReal: number | null = 0;
  let prevSim: number | null = 0;
  return steps.map(([step, r, s]) => {
    const toleranceMs = tol[step]!;
    const realStepMs = r === null || prevReal === null ? null : r - prevReal;
    const simStepMs = s === null || prevSim === null ? null : s - prevSim;
    prevReal = r;
    prevSim = s;
    const equal = r === null || s === null ? r === s : realStepMs === null || simStepMs === null || Math.abs(realStepMs - simStepMs) <= toleranceMs;
    return { step, realMs: r, simMs: s, realStepMs, simStepMs, toleranceMs, equal };
  });
}
