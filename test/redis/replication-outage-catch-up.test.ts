/**
 * What a replica sees of TCP after a partition with writes going on (issue 17 item 1, issue 19
 * item 1): the master's writes pile up (in its output buffer beyond the kernel's send buffer),
 * nothing moves until the master's next retransmission after the heal (Linux's RTO has been
 * doubling since the cut: 0.2, 0.6, 1.4, … 25.4, 51.0 s), and then the backlog drains at the
 * link's bandwidth while new writes keep arriving: catch-up = queued ÷ (bandwidth − write rate).
 *
 * 5k SETs/s of 1 KB for a 30 s cut: ≈ 5.2 MB/s of stream. Data resumes 51.1 s after the cut
 * (the 8th retransmission with RTO = 200 ms + 2 × 200 µs), with ≈ 266 MB queued:
 *   1 gbit   (125 MB/s):  266 / (125 − 5.2)  ≈ 2.2 s
 *   100 mbit (12.5 MB/s): 266 / (12.5 − 5.2) ≈ 36 s
 * (If data resumed at the heal, with 30 s queued: 1.3 s and 21 s — the figures of issue 17.)
 */
import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import { TestCluster, linkUp, runUntilTrue, startWrites, stat } from '../helpers/replication.js';

const RATE = 5000;
const CUT_SECONDS = 30;
/** The first retransmission after a 30 s cut: (2^8 − 1) × (200 ms + one 400 µs round trip). */
const RESUME_AFTER_CUT_US = 255 * (200_000 + 400);

function catchUp(bandwidth: string, bytesPerSec: number): { resumeUs: number; caughtUpUs: number; expectedUs: number } {
  const c = new TestCluster(`
config:
  repl-diskless-sync-delay: 0
  client-output-buffer-limit: "replica 0 0 0"
network: { bandwidth: ${bandwidth} }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
  // Read the offsets directly (INFO every few ms would dominate the run time).
  const offset = (_c: TestCluster, node: string): number => c.world.servers.get(node)!.masterReplOffset;
  startWrites(c, 'm1', { rateHz: RATE, seconds: 100, keys: 100_000, valueSize: 1000 });
  // The stream rate, from the master's offset over 2 s of writes (input to the arithmetic).
  const o0 = offset(c, 'm1');
  c.runUntil(c.now + sec(2));
  const streamRate = (offset(c, 'm1') - o0) / 2;
  expect(streamRate).toBeGreaterThan(RATE * 1000);
  const cutAt = c.now;
  const id = c.world.net.partition([['m1'], ['r1']]);
  c.runUntil(cutAt + sec(CUT_SECONDS));
  const replicaAtHeal = offset(c, 'r1');
  c.world.net.heal(id);
  // Nothing arrives between the heal and the retransmission.
  const resumeUs = runUntilTrue(c, () => offset(c, 'r1') > replicaAtHeal, 'data after the heal', 120, 10);
  const lag = (): number => offset(c, 'm1') - offset(c, 'r1');
  const caughtUpUs = runUntilTrue(c, () => lag() < streamRate / 100, 'catch-up', 120, 10);
  expect(stat(c, 'm1', 'sync_full')).toBe(1); // no resync: the connection survived
  const queued = (RESUME_AFTER_CUT_US / 1e6) * streamRate;
  return { resumeUs: resumeUs - cutAt, caughtUpUs: caughtUpUs - resumeUs, expectedUs: (queued / (bytesPerSec - streamRate)) * 1e6 };
}

describe('catch-up after a partition with writes going on', () => {
  for (const [bw, bytesPerSec] of [['1gbit', 125e6], ['100mbit', 12.5e6]] as const) {
    it(`${bw}: data resumes at the first retransmission after the heal, then drains at the bandwidth`, () => {
      const r = catchUp(bw, bytesPerSec);
      expect(r.resumeUs).toBeGreaterThanOrEqual(RESUME_AFTER_CUT_US);
      expect(r.resumeUs).toBeLessThan(RESUME_AFTER_CUT_US + sec(0.1));
      expect(r.caughtUpUs / r.expectedUs).toBeGreaterThan(0.9);
      expect(r.caughtUpUs / r.expectedUs).toBeLessThan(1.1);
    });
  }
});
