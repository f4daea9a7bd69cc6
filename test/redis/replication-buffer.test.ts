/**
 * ReplicationBuffer (7.0's shared replication buffer and the backlog in it), driven directly
 * by random sequences of appends, replicas reading and leaving, trims and backlog resizes.
 * The properties are the buffer's contract with master-side.ts:
 *  - trimming never drops a byte a replica still needs (every replica can still be sent
 *    everything from its next byte on), nor a byte the backlog still needs (the backlog keeps
 *    at least repl-backlog-size bytes of what it held, as incrementalTrimReplicationBacklog);
 *  - covers(o) ⇔ backlog_off ≤ o ≤ backlog_off + histlen, and whatever covers() promises
 *    unitsFrom() delivers, contiguous to master_repl_offset;
 *  - with no replica, a full trim leaves at most one block beyond repl-backlog-size.
 * Expected values come from the test's own count of the bytes appended, not from the buffer.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ReplicationBuffer, type StreamUnit } from '../../sim/redis/replication-buffer.js';

const KIB = 1024;
/** PROTO_REPLY_CHUNK_BYTES: the smallest block. */
const MIN_BLOCK_BYTES = 16 * KIB;

type Op =
  | { kind: 'append'; bytes: number }
  | { kind: 'psync-at-end' }
  /** A replica asks for the `pick`-th (mod count) unit boundary it could ask for. */
  | { kind: 'psync-inside'; pick: number }
  /** A replica's socket took part of what it was owed: `pick` selects the unit boundary. */
  | { kind: 'replica-reads'; replica: number; pick: number }
  | { kind: 'replica-leaves'; replica: number }
  | { kind: 'trim'; maxBlocks: number }
  | { kind: 'resize'; bytes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), bytes: fc.oneof(fc.integer({ min: 1, max: 3 * KIB }), fc.integer({ min: 1, max: 300 * KIB })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('psync-at-end' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('psync-inside' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replica-reads' as const), replica: fc.nat(), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replica-leaves' as const), replica: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('trim' as const), maxBlocks: fc.integer({ min: 1, max: 700 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resize' as const), bytes: fc.integer({ min: MIN_BLOCK_BYTES, max: 2048 * KIB }) }) },
);

/** The buffer under test and what the test knows independently of it. */
class Harness {
  /** Next stream byte each replica needs (a unit boundary, or master_repl_offset + 1). */
  readonly replicas: number[] = [];
  /** Every unit boundary ever appended, in order (offset of each unit's first byte). */
  readonly boundaries: number[] = [];
  readonly buffer: ReplicationBuffer;
  /** master_repl_offset as the test counts it. */
  end: number;

  constructor(backlogBytes: number, startOffset: number) {
    this.end = startOffset;
    this.buffer = new ReplicationBuffer(backlogBytes, startOffset, () => (this.replicas.length === 0 ? Infinity : Math.min(...this.replicas)));
  }

  /** Applies one op; returns the bytes it appended. */
  apply(op: Op): number {
    const b = this.buffer;
    switch (op.kind) {
      case 'append': {
        const unit = b.append([['SET', 'k', 'x'.repeat(Math.min(op.bytes, 8))]], op.bytes);
        this.boundaries.push(unit.offset);
        this.end += op.bytes;
        return op.bytes;
      }
      case 'psync-at-end':
        this.replicas.push(this.end + 1);
        return 0;
      case 'psync-inside': {
        // masterTryPartialResynchronization accepts only what covers() says the backlog holds.
        const candidates = this.boundaries.filter((o) => b.covers(o));
        if (candidates.length > 0) this.replicas.push(candidates[op.pick % candidates.length]!);
        return 0;
      }
      case 'replica-reads': {
        if (this.replicas.length === 0) return 0;
        const i = op.replica % this.replicas.length;
        const later = [...this.boundaries.filter((o) => o > this.replicas[i]!), this.end + 1];
        this.replicas[i] = later[op.pick % later.length]!;
        // As flushReplica: moving on releases blocks, so trim now.
        if (b.histlen > b.backlogSizeBytes) b.trim();
        return 0;
      }
      case 'replica-leaves':
        if (this.replicas.length > 0) this.replicas.splice(op.replica % this.replicas.length, 1);
        b.trim(); // as freeClient
        return 0;
      case 'trim':
        b.trim(op.maxBlocks);
        return 0;
      case 'resize':
        b.setBacklogSize(op.bytes);
        return 0;
    }
  }
}

/** The units from `from` cover exactly [from, end], one after the other. */
function contiguousTo(units: readonly StreamUnit[], from: number, end: number): boolean {
  let next = from;
  for (const u of units) {
    if (u.offset !== next) return false;
    next += u.bytes;
  }
  return next === end + 1;
}

describe('ReplicationBuffer', () => {
  test.prop(
    [fc.integer({ min: MIN_BLOCK_BYTES, max: 1024 * KIB }), fc.nat(1_000_000), fc.array(opArb, { minLength: 1, maxLength: 120 })],
    { numRuns: 150 },
  )('trim never drops a block a replica or the backlog still needs; covers(o) ⇔ backlog_off ≤ o ≤ backlog_off + histlen', (backlogBytes, startOffset, ops) => {
    const h = new Harness(backlogBytes, startOffset);
    const b = h.buffer;
    for (const op of ops) {
      const histlenBefore = b.histlen;
      const appended = h.apply(op);
      // The stream's end is what was appended, and the backlog ends there.
      expect(b.masterOffset).toBe(h.end);
      expect(b.backlogOffset + b.histlen).toBe(h.end + 1);
      // The backlog never gives up bytes it needs to keep repl-backlog-size of history.
      expect(b.histlen).toBeGreaterThanOrEqual(Math.min(histlenBefore + appended, b.backlogSizeBytes));
      // Every replica can still be sent everything from its next byte on.
      for (const p of h.replicas) {
        expect(p).toBeGreaterThanOrEqual(b.backlogOffset);
        expect(contiguousTo(b.unitsFrom(p), p, h.end)).toBe(true);
        if (p <= h.end) expect(b.outputBufferUsage(p)).toBeGreaterThanOrEqual(h.end + 1 - p);
      }
      // covers() is the backlog's range, and the backlog can serve what it covers.
      for (const o of [b.backlogOffset - 1, b.backlogOffset, h.end, h.end + 1, h.end + 2, ...h.boundaries.slice(-8)]) {
        expect(b.covers(o)).toBe(o >= b.backlogOffset && o <= b.backlogOffset + b.histlen);
      }
      for (const o of h.boundaries) if (b.covers(o)) expect(contiguousTo(b.unitsFrom(o), o, h.end)).toBe(true);
    }
  });

  test.prop([fc.integer({ min: MIN_BLOCK_BYTES, max: 1024 * KIB }), fc.array(fc.integer({ min: 1, max: 300 * KIB }), { minLength: 1, maxLength: 80 })], { numRuns: 100 })(
    'with no replica, a full trim leaves at most the head block beyond repl-backlog-size',
    (backlogBytes, units) => {
      const b = new ReplicationBuffer(backlogBytes, 0);
      for (const bytes of units) b.append([['PING']], bytes);
      b.trim(Number.MAX_SAFE_INTEGER);
      // A block is max(16 KiB, min(len, repl-backlog-size / 16)) rounded up to a jemalloc size
      // class (at most 25 % more) plus its 40-byte header; the head may be the only block.
      const largestBlock = Math.ceil(1.25 * Math.max(MIN_BLOCK_BYTES, Math.floor(backlogBytes / 16))) + 40;
      expect(b.histlen).toBeLessThanOrEqual(backlogBytes + largestBlock);
      expect(b.backlogOffset + b.histlen).toBe(b.masterOffset + 1);
    },
  );
});
