/**
 * Each checker on hand-made histories: the situation it must flag, and the legitimate
 * look-alike it must let pass (the false alarms a fuzzer would otherwise drown in).
 */
import { describe, expect, it } from 'vitest';
import { convergenceBound } from '../../sim/check/bounds.js';
import { checkConvergence } from '../../sim/check/convergence.js';
import { checkDurability } from '../../sim/check/durability.js';
import { checkInfoConsistency } from '../../sim/check/info-consistency.js';
import { checkLiveness } from '../../sim/check/liveness.js';
import { checkMonotonicOffsets } from '../../sim/check/monotonic.js';
import { checkPrefixConsistency } from '../../sim/check/prefix.js';
import { checkReadOnlyReplicas } from '../../sim/check/read-only.js';
import { runCheckers } from '../../sim/check/checkers.js';
import { formatViolation } from '../../sim/check/violation.js';
import { defaultCostModel } from '../../sim/redis/cost-model.js';
import { scenarioBaseConfig } from '../../sim/scenario/defaults.js';
import { event, final, history, info, sample, write, Y } from './history-fixture.js';

describe('prefix-consistency', () => {
  it('flags two datasets claiming the same (replid, offset), naming both nodes', () => {
    const h = history({ samples: [sample('m1', 1e6, { digest: 'd1' }), sample('r1', 2e6, { digest: 'd2' })] });
    const r = checkPrefixConsistency(h, final(3e6));
    expect(r.ok).toBe(false);
    expect(r.violations[0]!.node).toBe('r1');
    expect(r.violations[0]!.message).toMatch(/r1 at offset 100 .* but m1 had d1/);
    expect(formatViolation(r.violations[0]!)).toMatch(/^\[prefix-consistency\] r1 at 2s \(seed test\)/);
  });

  it('passes equal datasets at equal positions, and positions a node does not claim (loading, no backlog)', () => {
    const h = history({
      samples: [sample('m1', 1e6, { digest: 'd1' }), sample('r1', 2e6, { digest: 'd1' }), sample('r1', 3e6, { digest: 'd9', stable: false })],
    });
    expect(checkPrefixConsistency(h, final(3e6)).ok).toBe(true);
  });

  it('flags a replica its master lists online that is ahead of it or on another history', () => {
    const ahead = history({ samples: [sample('m1', 1e6, { online: ['r1'], round: 7 }), sample('r1', 1e6, { offset: 120, round: 7 })] });
    expect(checkPrefixConsistency(ahead, final(2e6)).violations[0]?.message).toMatch(/ahead of m1 itself/);
    const other = history({ samples: [sample('m1', 1e6, { online: ['r1'], round: 8 }), sample('r1', 1e6, { replid: Y, round: 8 })] });
    expect(checkPrefixConsistency(other, final(2e6)).ok).toBe(false);
    // Not listed online (the master has not noticed yet): no claim about the pair.
    const stale = history({ samples: [sample('m1', 1e6, { round: 9 }), sample('r1', 1e6, { offset: 120, round: 9 })] });
    expect(checkPrefixConsistency(stale, final(2e6)).ok).toBe(true);
  });
});

describe('monotonic-offsets', () => {
  it('flags an offset going back within one process and one replid', () => {
    const h = history({ samples: [sample('r1', 1e6, { offset: 500 }), sample('r1', 2e6, { offset: 400 })] });
    expect(checkMonotonicOffsets(h, final(3e6)).violations[0]?.message).toMatch(/went back from 500 to 400/);
  });

  it('allows it across a full resync (an upstream restarted from an older RDB) or a restart', () => {
    const resync = history({
      samples: [sample('r1', 1e6, { offset: 500 }), sample('r1', 2e6, { offset: 400 })],
      events: [event(1.5e6, 'r1', 'replica.fullresync', { offset: 400 })],
    });
    expect(checkMonotonicOffsets(resync, final(3e6)).ok).toBe(true);
    const restart = history({ samples: [sample('r1', 1e6, { offset: 500 }), sample('r1', 2e6, { offset: 400, incarnation: 3 })] });
    expect(checkMonotonicOffsets(restart, final(3e6)).ok).toBe(true);
  });
});

describe('read-only-replicas', () => {
  it('flags a read-only replica expiring keys itself, and data changing at a fixed offset', () => {
    const expire = history({ samples: [sample('r1', 1e6), sample('r1', 2e6, { expiredKeys: 2 })] });
    expect(checkReadOnlyReplicas(expire, final(3e6)).violations[0]?.message).toMatch(/expired 2 key\(s\) itself/);
    const change = history({ samples: [sample('r1', 1e6, { keys: 10 }), sample('r1', 2e6, { keys: 9 })] });
    expect(checkReadOnlyReplicas(change, final(3e6)).violations[0]?.message).toMatch(/without a byte of stream/);
  });

  it('lets writable replicas, masters and role changes be', () => {
    const writable = history({ samples: [sample('r1', 1e6, { readOnly: false }), sample('r1', 2e6, { readOnly: false, expiredKeys: 3 })] });
    expect(checkReadOnlyReplicas(writable, final(3e6)).ok).toBe(true);
    const promoted = history({
      samples: [sample('r1', 1e6), sample('r1', 2e6, { expiredKeys: 3 })],
      events: [event(1.2e6, 'r1', 'replica.promoted'), event(1.4e6, 'r1', 'replica.replicaof')],
    });
    expect(checkReadOnlyReplicas(promoted, final(3e6)).ok).toBe(true);
  });
});

describe('info-consistency', () => {
  const at = (i: Parameters<typeof info>[0], over = {}) => history({ samples: [sample('m1', 1e6, { info: info(i), ...over })] });

  it('checks first_byte_offset = master_repl_offset − histlen + 1', () => {
    expect(checkInfoConsistency(at({ firstByteOffset: 5 }), final(2e6)).violations[0]?.message).toMatch(/≠ master_repl_offset 100 − repl_backlog_histlen 100 \+ 1 = 1/);
    expect(checkInfoConsistency(at({}), final(2e6)).ok).toBe(true);
  });

  it('flags a replica acknowledging beyond its master, and a zero replid2 with a second offset', () => {
    const ack = at({ connectedSlaves: 1, slaves: [{ name: 'r1', state: 'online', offset: 1100, lag: 0 }] });
    expect(checkInfoConsistency(ack, final(2e6)).violations[0]?.message).toMatch(/acknowledged offset 1100, beyond m1's own master_repl_offset 100/);
    expect(checkInfoConsistency(at({ secondReplOffset: 50 }), final(2e6)).ok).toBe(false);
  });

  it('allows a backlog beyond its size only while a replica needs the older bytes', () => {
    const big = { masterReplOffset: 400_000, histlen: 300_000, firstByteOffset: 100_001, backlogSize: 16_384 };
    expect(checkInfoConsistency(at(big), final(2e6)).ok).toBe(false);
    const pinned = { ...big, connectedSlaves: 1, slaves: [{ name: 'r1', state: 'wait_bgsave', offset: 0, lag: 0 }] };
    expect(checkInfoConsistency(at(pinned), final(2e6)).ok).toBe(true);
    // A replica that held 2 MB was just freed: beforeSleep trims 640 blocks per iteration.
    const held = { masterReplOffset: 2_100_000, histlen: 2_000_000, firstByteOffset: 100_001, backlogSize: 16_384 };
    const justFreed = history({ samples: [sample('m1', 1.15e6, { info: info(held) })], events: [event(1e6, 'm1', 'master.replica-lost')] });
    expect(checkInfoConsistency(justFreed, final(2e6)).ok).toBe(true);
    const longAgo = history({ samples: [sample('m1', 3e6, { info: info(held) })], events: [event(1e6, 'm1', 'master.replica-lost')] });
    expect(checkInfoConsistency(longAgo, final(4e6)).ok).toBe(false);
    // Two blocks of slack: trimming runs when a block is added and keeps at least the size.
    const twoBlocks = { masterReplOffset: 60_000, histlen: 16_384 + 40_000, firstByteOffset: 60_000 - 56_384 + 1, backlogSize: 16_384 };
    expect(checkInfoConsistency(at(twoBlocks), final(2e6)).ok).toBe(true);
  });
});

describe('durability', () => {
  it('flags WAIT counting a replica that does not hold the write', () => {
    const h = history({ writes: [write({ holders: [] })], samples: [sample('r1', 1.9e6, { offset: 120 })] });
    const r = checkDurability(h, final(5e6, { present: { m1: ['ack:0'], r1: ['ack:0'] } }));
    expect(r.violations[0]?.message).toMatch(/WAIT 1 answered 1 for SET ack:0 0 .* but no other node held the write/);
  });

  it('gives the benefit of the doubt to a node whose data was destroyed since the write was sent', () => {
    const h = history({ writes: [write({ holders: [] })], events: [event(1.95e6, 'r1', 'server.crash')] });
    expect(checkDurability(h, final(5e6, { present: { m1: ['ack:0'], r1: [] } })).ok).toBe(true);
  });

  it('reports a loss explained by a failover as the documented anomaly, and an unexplained one as a violation', () => {
    const lost = final(5e6, { present: { m1: [], r1: [] } });
    const explained = history({
      writes: [write()],
      losses: [{ t: 3e6, node: 'm1', kind: 'restart', lacking: ['ack:0'] }],
      events: [event(3e6, 'm1', 'server.boot', { port: 6379 })],
    });
    const r = checkDurability(explained, lost);
    expect(r.ok).toBe(true);
    expect(r.anomalies[0]?.message).toMatch(/missing on m1: m1 restarted at 3s without it/);
    expect(r.anomalies[0]?.events.map((e) => e.kind)).toEqual(['server.boot']);
    const unexplained = checkDurability(history({ writes: [write()] }), lost);
    expect(unexplained.violations[0]?.message).toMatch(/no failover or restart explains it/);
  });

  it('does not judge writes WAIT did not acknowledge, or that never entered the stream', () => {
    expect(checkDurability(history({ writes: [write({ acked: 0, holders: [] })] }), final(5e6)).ok).toBe(true);
    // No backlog yet: the SET did not move the offset, and WAIT 1 counts any online replica.
    const r = checkDurability(history({ writes: [write({ woff: 0, propagated: false, holders: [] })] }), final(5e6));
    expect(r.ok).toBe(true);
    expect(r.notes.join(' ')).toMatch(/never propagated/);
  });

  it('explains a split-brain loss: written to one master while the final one was already another', () => {
    const h = history({
      writes: [write({ node: 'r1', holders: [] , acked: 0 }), write({ node: 'r1', key: 'ack:1', value: '1', holders: ['m1'] })],
      samples: [sample('m1', 1.5e6, { role: 'master' }), sample('r1', 1.5e6, { role: 'master', masterHost: null })],
    });
    const r = checkDurability(h, final(5e6, { present: { m1: [], r1: ['ack:1'] } }));
    expect(r.ok).toBe(true);
    expect(r.anomalies[0]?.message).toMatch(/r1 and m1 were both masters when it was written \(split brain\)/);
  });
});

describe('liveness and convergence', () => {
  it('flags a replica still full-syncing once replication should have settled, not while it catches up', () => {
    // Faults over at 1 s; the bound for this config is ~32 s.
    const catchingUp = [2e6, 4e6, 6e6, 8e6].map((t) => event(t, 'r1', 'replica.fullresync'));
    expect(checkLiveness(history({ events: catchingUp }), final(60e6)).ok).toBe(true);
    const endless = [...catchingUp, ...[40e6, 50e6, 55e6].map((t) => event(t, 'r1', 'replica.fullresync'))];
    expect(checkLiveness(history({ events: endless }), final(60e6)).violations[0]?.message).toMatch(/r1 still had 3 full resync\(s\) after replication should have settled .* a full-sync loop/);
    const flapping = [40e6, 45e6].map((t) => event(t, 'r1', 'replica.link-down'));
    expect(checkLiveness(history({ events: flapping }), final(60e6)).violations[0]?.message).toMatch(/the link keeps failing/);
    expect(checkLiveness(history({ events: endless, quietFromUs: null }), final(60e6)).ok).toBe(true);
    expect(checkLiveness(history({ events: endless }), final(10e6)).notes[0]).toMatch(/not decided/);
  });

  it('demands convergence within the bound, and again at the end', () => {
    const never = history({ cluster: [{ t: 60e6, converged: false, problem: 'r1: offset 5, its master m1 is at 9', problemNode: 'r1', cycle: [] }] });
    const r = checkConvergence(never, final(60e6));
    expect(r.violations[0]?.message).toMatch(/not converged .* r1: offset 5/);
    const early = checkConvergence(never, final(2e6));
    expect(early.ok).toBe(true);
    expect(early.notes[0]).toMatch(/not decided/);
    const fine = history({ cluster: [{ t: 1.2e6, converged: true, problem: null, problemNode: null, cycle: [] }] });
    expect(checkConvergence(fine, final(1.3e6)).notes[0]).toMatch(/converged 200ms after the faults ended/);
  });

  it('derives the bound from repl-timeout, diskless delay, data size and depth', () => {
    const base = { costs: defaultCostModel(), maxLatencyUs: 200, minBandwidthBytesPerSec: 125e6, keys: 1000, bytes: 100_000, depth: 1 };
    const cfg = (o: object) => [{ ...scenarioBaseConfig(), ...o }];
    const b = convergenceBound({ ...base, configs: cfg({ replTimeoutSec: 5, replDisklessSyncDelaySec: 0 }) });
    expect(b.detectUs).toBe(7e6);
    expect(convergenceBound({ ...base, configs: cfg({ replTimeoutSec: 10, replDisklessSyncDelaySec: 0 }) }).boundUs - b.boundUs).toBe(10e6);
    expect(convergenceBound({ ...base, depth: 3, configs: cfg({ replTimeoutSec: 5, replDisklessSyncDelaySec: 0 }) }).boundUs).toBe(b.boundUs + 2 * b.perLevelUs);
    expect(convergenceBound({ ...base, keys: 1e6, bytes: 1e8, configs: cfg({ replTimeoutSec: 5 }) }).perLevelUs).toBeGreaterThan(b.perLevelUs + 1e6);
  });
});

it('runCheckers runs a selection and collects every violation', () => {
  const h = history({ samples: [sample('r1', 1e6, { offset: 500 }), sample('r1', 2e6, { offset: 400 })] });
  const report = runCheckers(h, final(3e6), ['monotonic-offsets', 'info-consistency']);
  expect(report.results.map((r) => r.checker)).toEqual(['monotonic-offsets', 'info-consistency']);
  expect(report.ok).toBe(false);
  expect(report.violations).toHaveLength(1);
});
