/**
 * Property: whatever the writes and whatever the link faults (CLIENT KILL TYPE master,
 * partitions both ways and one way, SIGSTOP of a replica), once the faults are healed and the
 * writes stop, every replica converges: link up, its replid and applied offset equal to its
 * master's master_repl_offset, and the same dataset digest (redis-replication.md §3.7, §2.2:
 * partial or full resync, never a silent divergence). Small on purpose (≤ 25 runs of a few
 * virtual seconds each); REPLSIM_FC_SEED replays another seed.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Client, TestCluster, digest, offset, replid, runUntilConverged } from '../helpers/replication.js';
import { sec } from '../../sim/engine/time.js';

type Write =
  | { kind: 'set'; key: number; size: number }
  | { kind: 'incr'; key: number }
  | { kind: 'del'; key: number }
  | { kind: 'expire'; key: number; ms: number }
  | { kind: 'sadd'; key: number; member: number }
  | { kind: 'spop'; key: number }
  | { kind: 'multi'; a: number; b: number }
  | { kind: 'burst'; count: number }
  | { kind: 'select-set'; db: number; key: number };

type Fault =
  | { kind: 'kill-link'; replica: 'r1' | 'r2' }
  | { kind: 'partition'; replica: 'r1' | 'r2'; oneWay: boolean; forMs: number }
  | { kind: 'pause'; replica: 'r1' | 'r2'; forMs: number };

type Step = { gapMs: number } & ({ write: Write } | { fault: Fault });

const key = fc.nat(15);
const writeArb: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, size: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('incr' as const), key }),
  fc.record({ kind: fc.constant('del' as const), key }),
  fc.record({ kind: fc.constant('expire' as const), key, ms: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('sadd' as const), key, member: fc.nat(5) }),
  fc.record({ kind: fc.constant('spop' as const), key }),
  fc.record({ kind: fc.constant('multi' as const), a: key, b: key }),
  fc.record({ kind: fc.constant('burst' as const), count: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('select-set' as const), db: fc.integer({ min: 1, max: 3 }), key }),
);
const replicaArb = fc.constantFrom('r1' as const, 'r2' as const);
const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('kill-link' as const), replica: replicaArb }),
  fc.record({ kind: fc.constant('partition' as const), replica: replicaArb, oneWay: fc.boolean(), forMs: fc.integer({ min: 100, max: 6000 }) }),
  fc.record({ kind: fc.constant('pause' as const), replica: replicaArb, forMs: fc.integer({ min: 100, max: 6000 }) }),
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ gapMs: fc.integer({ min: 0, max: 1500 }), write: writeArb }) },
  { weight: 1, arbitrary: fc.record({ gapMs: fc.integer({ min: 0, max: 1500 }), fault: faultArb }) },
);
const setupArb = fc.record({
  chain: fc.boolean(),
  diskless: fc.boolean(),
  backlog: fc.constantFrom('16kb', '64kb', '1mb'),
  seed: fc.string({ minLength: 1, maxLength: 6 }),
});

interface Setup {
  chain: boolean;
  diskless: boolean;
  backlog: string;
  seed: string;
}

function build(setup: Setup): TestCluster {
  return new TestCluster(
    `
config:
  repl-diskless-sync: "${setup.diskless ? 'yes' : 'no'}"
  repl-diskless-sync-delay: 0
  repl-backlog-size: ${setup.backlog}
  repl-timeout: 3
  repl-ping-replica-period: 1
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: ${setup.chain ? 'r1' : 'm1'} }
dataset: { node: m1, keys: 200, value-size: 50 }
`,
    setup.seed,
  );
}

function applyWrite(c: TestCluster, cl: Client, w: Write): void {
  switch (w.kind) {
    case 'set':
      cl.run('SET', `k:${w.key}`, 'x'.repeat(w.size));
      return;
    case 'incr':
      cl.run('INCR', `n:${w.key}`);
      return;
    case 'del':
      cl.run('DEL', `k:${w.key}`);
      return;
    case 'expire':
      cl.run('PEXPIRE', `k:${w.key}`, String(w.ms));
      return;
    case 'sadd':
      cl.run('SADD', `s:${w.key}`, `m${w.member}`);
      return;
    case 'spop':
      cl.run('SPOP', `s:${w.key}`);
      return;
    case 'multi':
      cl.pipeline([['MULTI'], ['INCR', `n:${w.a}`], ['SET', `k:${w.b}`, 'multi'], ['EXEC']]);
      return;
    case 'burst':
      c.act({ kind: 'write', node: 'm1', count: w.count, valueSize: 100, db: 0, prefix: 'burst' });
      return;
    case 'select-set':
      cl.pipeline([['SELECT', String(w.db)], ['SET', `k:${w.key}`, 'other-db'], ['SELECT', '0']]);
      return;
  }
}

/** Upstream of a replica in the topology (for partitions of its own link). */
function upstreamOf(chain: boolean, replica: 'r1' | 'r2'): string {
  return replica === 'r2' && chain ? 'r1' : 'm1';
}

function applyFault(c: TestCluster, chain: boolean, f: Fault): void {
  switch (f.kind) {
    case 'kill-link':
      c.act({ kind: 'kill-link', node: f.replica });
      return;
    case 'partition': {
      const up = upstreamOf(chain, f.replica);
      if (f.oneWay) c.act({ kind: 'partition-one-way', from: [up], to: [f.replica] });
      else c.act({ kind: 'partition', groups: [[up], [f.replica]] });
      // Heal this fault after forMs: the action runner's heal lifts every partition, as `heal: all` does.
      c.world.sim.after(f.forMs * 1000, () => c.act({ kind: 'heal', target: 'all' }));
      return;
    }
    case 'pause':
      if (!c.node(f.replica).isFrozen('sigstop')) c.act({ kind: 'pause', node: f.replica, forUs: f.forMs * 1000 });
      return;
  }
}

const FC_SEED = process.env['REPLSIM_FC_SEED'] ? Number(process.env['REPLSIM_FC_SEED']) : 20260101;

describe('replication property', () => {
  test.prop([setupArb, fc.array(stepArb, { minLength: 1, maxLength: 12 })], { numRuns: 25, seed: FC_SEED })(
    'after random writes and link faults, once healed and quiet, every replica has its master’s offset, replid and digest',
    (setup, steps) => {
      const c = build(setup);
      runUntilConverged(c, 15);
      const cl = new Client(c, 'm1');
      for (const step of steps) {
        c.runFor(step.gapMs / 1000);
        if ('write' in step) applyWrite(c, cl, step.write);
        else applyFault(c, setup.chain, step.fault);
      }
      // Quiescence: let the scheduled heals/resumes fire, then heal everything that is left.
      c.runFor(6.5);
      c.act({ kind: 'heal', target: 'all' });
      for (const r of ['r1', 'r2']) if (c.node(r).isFrozen('sigstop')) c.act({ kind: 'resume', node: r });
      runUntilConverged(c, 60);
      for (const r of ['r1', 'r2']) {
        const up = r === 'r2' && setup.chain ? 'r1' : 'm1';
        expect(c.info(r, 'master_link_status')).toBe('up');
        expect(c.infoNum(r, 'slave_repl_offset')).toBe(offset(c, up));
        expect(replid(c, r)).toBe(replid(c, up));
        expect(digest(c, r)).toBe(digest(c, 'm1'));
      }
      expect(c.now).toBeLessThan(sec(200));
    },
  );
});
