/**
 * A workload that starts at time 0 races the first sync: until a master's first replica
 * attaches, it has no replication backlog, and the writes it runs enter its dataset but not
 * its replication stream (master_repl_offset does not move: feedReplicationBuffer returns
 * at once without a backlog). How many workload commands run before that moment depends on
 * how fast the real handshake went (proxies, scheduling), so the same command sequence can
 * end at offsets that differ by exactly the stream bytes of the first few commands.
 *
 * This module recognizes that difference: it regenerates the workload's command sequence
 * (the same OpenLoopClient and seeded stream both worlds used), and finds the number of
 * commands the real master ran before its backlog such that the offsets agree. `replsim
 * diff` then reports the fields as explained by the race, saying how many commands ran
 * before the first attach in each world, instead of as a replication difference.
 */
import { RandomStreams } from '../engine/index.js';
import type { Simulator } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { RedisServer } from '../redis/index.js';
import { utf8ByteLength } from '../redis/index.js';
import type { Scenario, WorkloadSpec } from '../scenario/scenario.js';
import { OpenLoopClient } from '../workload/index.js';
import type { KnownDifference } from './known-differences.js';

/** Ops whose propagated form is the command itself, so its RESP size is its stream size. */
const VERBATIM_OPS = new Set(['set', 'incr', 'append']);

/** RESP bytes of a command array as a master propagates it. */
export function respBytes(argv: readonly string[]): number {
  let n = 3 + String(argv.length).length; // *N\r\n
  for (const a of argv) {
    const len = utf8ByteLength(a);
    n += 5 + String(len).length + len; // $len\r\n arg \r\n
  }
  return n;
}

/** The first `count` commands of workload `index`, as OpenLoopClient sends them, with their send times. */
export function workloadCommands(spec: WorkloadSpec, seed: string, index: number, count: number): Array<{ atUs: Micros; argv: string[] }> {
  const out: Array<{ atUs: Micros; argv: string[] }> = [];
  let pending: { atUs: Micros; fn: () => void } | null = null;
  const clock = {
    now: 0,
    at(atUs: Micros, fn: () => void) {
      pending = { atUs, fn };
    },
  };
  const server = {
    commands: {
      newSession: () => ({ db: spec.db }),
      call: (_s: unknown, argv: string[]) => out.push({ atUs: clock.now, argv: [...argv] }),
    },
  };
  const client = new OpenLoopClient(clock as unknown as Simulator, () => server as unknown as RedisServer, spec, new RandomStreams(seed).stream(`workload/${index}`));
  client.start();
  while (out.length < count && pending !== null) {
    const next: { atUs: Micros; fn: () => void } = pending;
    pending = null;
    clock.now = next.atUs;
    next.fn();
  }
  return out;
}

export interface OffsetRace {
  node: string;
  /** Workload commands the master ran before its first replica attached, in each world. */
  simBefore: number;
  realBefore: number;
}

/**
 * Explains `realOffset − simOffset` on the master `node` by the race, or null. `simBackloggedAtUs`
 * is when replsim created the master's backlog. Only for a single workload of verbatim
 * ops sending to that master; one command at the backlog's very instant may fall on either side.
 */
export function explainOffsetRace(scenario: Scenario, seed: string, node: string, simBackloggedAtUs: Micros, realOffset: number, simOffset: number): OffsetRace | null {
  const mine = scenario.workload.map((w, i) => ({ w, i })).filter(({ w }) => w.node === node && w.wait === undefined);
  if (mine.length !== 1 || scenario.workload.some((w) => w.node !== node)) return null;
  const { w, i } = mine[0]!;
  if (Object.entries(w.ops).some(([op, weight]) => (weight ?? 0) > 0 && !VERBATIM_OPS.has(op))) return null;
  const delta = realOffset - simOffset;
  if (delta === 0) return null;
  // Enough commands to cover a second of handshake at the workload's rate.
  const horizon = Math.ceil(w.rateHz) + 64;
  const cmds = workloadCommands(w, seed, i, horizon);
  const prefix = [0];
  for (const c of cmds) prefix.push(prefix[prefix.length - 1]! + respBytes(c.argv));
  const simCandidates = [cmds.filter((c) => c.atUs < simBackloggedAtUs).length];
  if (cmds.some((c) => c.atUs === simBackloggedAtUs)) simCandidates.push(simCandidates[0]! + 1);
  for (const simBefore of simCandidates) {
    // real = total − prefix[realBefore]; sim = total − prefix[simBefore].
    const want = prefix[simBefore]! - delta;
    const realBefore = prefix.indexOf(want);
    if (realBefore >= 0) return { node, simBefore, realBefore };
  }
  return null;
}

/** The explanation as a known difference, so the diff reports it as such. */
export function raceDifference(r: OffsetRace): KnownDifference {
  return {
    target: '*.master_repl_offset',
    line: 0,
    reason: `the workload races the first sync: ${r.node} ran ${r.realBefore} workload command(s) before its first replica attached in real redis, ` +
      `${r.simBefore} in replsim; writes before a master has a backlog are in its data but not in its replication stream, so the offsets differ by ` +
      `exactly those commands' bytes (both sent the same commands: see the workload table). Start the workload after the first sync to compare offsets exactly.`,
  };
}
