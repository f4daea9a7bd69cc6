/**
 * The report's syncs, phases and faults are what the trace says: every SYNC/PSYNC the
 * masters received appears exactly once, with its kind; the critical-path phases of each
 * finished sync follow each other without gap from its start to its end; each phase's
 * length is the one the trace records (fork_us, work_us, the flush's us, the load's us);
 * and watching a run does not change it (same trace hash).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/engine/trace.js';
import { ReportCollector } from '../../sim/report/collector.js';
import { buildReportData } from '../../sim/report/collect.js';
import { summaryTable } from '../../sim/report/tables.js';
import type { ReportData, SyncReport } from '../../sim/report/report-data.js';
import { loadScenarioFile, parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import type { Scenario } from '../../sim/scenario/scenario.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');

/** A report plus the whole trace, recorded beside the collector. */
function watched(s: Scenario, seed?: string): { data: ReportData; trace: TraceRecord[]; hash: string } {
  const collector = new ReportCollector(s.durationUs);
  const trace: TraceRecord[] = [];
  const result = runScenario(s, {
    ...(seed !== undefined ? { seed } : {}),
    observe: {
      world(w) {
        w.sim.trace.subscribe((r) => trace.push(r));
        collector.world(w);
      },
      workloadClient: (i, c) => collector.workloadClient(i, c),
    },
  });
  expect(result.error).toBeUndefined();
  return { data: buildReportData(s, result, collector.finish()), trace, hash: result.traceHash };
}

const diskSync = parseScenario(`
name: disk-sync
seed: 5
duration: 12s
config: { repl-diskless-sync: "no", repl-timeout: 2 }
nodes: { m1: {}, r1: { replicaof: m1 }, r2: { replicaof: m1 } }
dataset: { node: m1, keys: 50000, value-size: 100 }
workload: { node: m1, rate: 500/s, keys: 1000 }
timeline:
  - { at: 3s, kill-link: r1 }
  - { at: 4s, pause: r2, for: 4s }
`, 'disk-sync.yaml');

const scenarios: Array<[string, Scenario]> = [
  ['quickstart', loadScenarioFile(join(dir, 'quickstart.yaml'))],
  ['full-resync-backlog-overflow', loadScenarioFile(join(dir, 'full-resync-backlog-overflow.yaml'))],
  ['many-replicas-share-bgsave', loadScenarioFile(join(dir, 'many-replicas-share-bgsave.yaml'))],
  ['full-sync-loop-repl-timeout', loadScenarioFile(join(dir, 'full-sync-loop-repl-timeout.yaml'))],
  ['disk target, disk load', diskSync],
];

function onPath(s: SyncReport) {
  return s.phases.filter((p) => p.onPath);
}

describe.each(scenarios)('report of %s', (_name, scenario) => {
  const { data, trace } = watched(scenario);
  const of = (kind: string) => trace.filter((r) => r.kind === kind);

  it('has every SYNC/PSYNC the masters received exactly once, with its kind', () => {
    const requests = of('master.sync-request').map((r) => `${r.node} ${String(r['replica'])} ${r.t}`);
    expect(data.syncs.map((s) => `${s.master} ${s.replica} ${s.startUs}`)).toEqual(requests);
    expect(data.syncs.filter((s) => s.kind === 'partial').length).toBe(of('master.psync-accepted').length);
    expect(data.syncs.filter((s) => s.kind === 'full').length).toBe(of('master.full-resync-queued').length);
    expect(data.summary.fullSyncs + data.summary.partialSyncs).toBe(requests.length);
  });

  it('lays the critical-path phases of every finished sync end to end, adding up to its duration', () => {
    const finished = data.syncs.filter((s) => s.outcome === 'done');
    expect(finished.length).toBeGreaterThan(0);
    for (const s of finished) {
      const path = onPath(s);
      expect(path[0]!.startUs).toBe(s.startUs);
      for (let i = 1; i < path.length; i++) expect(path[i]!.startUs).toBe(path[i - 1]!.endUs);
      expect(path.at(-1)!.endUs).toBe(s.endUs);
      expect(path.reduce((a, p) => a + (p.endUs - p.startUs), 0)).toBe(s.endUs - s.startUs);
      expect(path.at(-1)!.name).toBe('catch-up');
      if (s.kind === 'full') expect(path.map((p) => p.name)).toEqual(expect.arrayContaining(['transfer', 'load']));
    }
    for (const s of data.syncs) {
      for (const p of s.phases) {
        expect(p.startUs).toBeLessThanOrEqual(p.endUs);
        expect(p.startUs).toBeGreaterThanOrEqual(s.startUs);
        expect(p.endUs).toBeLessThanOrEqual(s.endUs);
      }
    }
  });

  it('gives each phase the length the trace records', () => {
    const forks = new Map(of('rdb.fork').map((r) => [`${r.node} ${String(r['fork'])}`, r]));
    for (const s of data.syncs.filter((x) => x.kind === 'full' && x.outcome === 'done')) {
      const fork = s.phases.find((p) => p.name === 'fork');
      const rdb = s.phases.find((p) => p.name === 'rdb');
      const bind = trace.find((r) => r.kind === 'master.fullresync' && r.node === s.master && r['replica'] === s.replica && r.t >= s.startUs);
      const forkRec = [...forks.values()].filter((r) => r.node === s.master && r.t <= bind!.t).at(-1)!;
      if (fork && forkRec.t >= s.startUs) {
        expect(fork.endUs - fork.startUs).toBe(forkRec['fork_us']);
        expect(rdb!.endUs - rdb!.startUs).toBe(forkRec['work_us']);
      }
      const done = trace.find((r) => r.kind === 'replica.transfer-done' && r.node === s.replica && r.t > s.startUs)!;
      expect(s.phases.find((p) => p.name === 'transfer')!.bytes).toBe(done['bytes']);
      const flush = trace.find((r) => r.kind === 'replica.flush' && r.node === s.replica && r.t > s.startUs);
      const load = trace.find((r) => r.kind === 'replica.load-done' && r.node === s.replica && r.t > s.startUs)!;
      if (flush) {
        expect(s.phases.find((p) => p.name === 'flush')!.endUs - s.phases.find((p) => p.name === 'flush')!.startUs).toBe(flush['us']);
        expect(s.phases.find((p) => p.name === 'load')!.endUs - s.phases.find((p) => p.name === 'load')!.startUs).toBe(load['us']);
      }
    }
    for (const s of data.syncs.filter((x) => x.kind === 'partial')) {
      const acc = trace.find((r) => r.kind === 'master.psync-accepted' && r.node === s.master && r.t === s.startUs)!;
      expect(s.bytes).toBe(acc['bytes']);
    }
  });

  it('draws one band per fault', () => {
    const starts = trace.filter((r) => /^fault\.(partition|partition-one-way|pause|crash|kill-link|latency|write-burst)$/.test(r.kind));
    expect(data.faults.map((f) => f.startUs)).toEqual(starts.map((r) => r.t));
  });

  it('counts what INFO counts', () => {
    const byMaster = new Map<string, number>();
    for (const r of of('master.full-resync-queued')) byMaster.set(r.node!, (byMaster.get(r.node!) ?? 0) + 1);
    const last = of('final.node');
    expect(last.length).toBeGreaterThan(0);
    expect(data.summary.fullSyncs).toBe([...byMaster.values()].reduce((a, b) => a + b, 0));
  });
});

describe('the collector', () => {
  it('does not change the run: same trace hash with and without it, same report twice', () => {
    const s = loadScenarioFile(join(dir, 'quickstart.yaml'));
    const plain = runScenario(s, { seed: 'r1' });
    const a = watched(s, 'r1');
    const b = watched(s, 'r1');
    expect(a.hash).toBe(plain.traceHash);
    expect(JSON.stringify(a.data)).toBe(JSON.stringify(b.data));
  });

  it('marks recovery after a partition and sees the replica fall out of the backlog', () => {
    const { data } = watched(loadScenarioFile(join(dir, 'full-resync-backlog-overflow.yaml')));
    const band = data.faults[0]!;
    expect(band.kind).toBe('partition');
    expect(band.recoveredUs).not.toBeNull();
    const second = data.syncs[1]!;
    expect(second.kind).toBe('full');
    expect(second.psyncRefused).toBe('lack of backlog');
    // Recovered = caught up after the full resync that followed the heal.
    expect(band.recoveredUs!).toBeGreaterThanOrEqual(second.phases.find((p) => p.name === 'load')!.endUs);
    const lag = data.series.nodes['r1']!.lagBytes;
    const window = data.series.nodes['m1']!.backlogLast.map((l, i) => (l === null ? null : l - data.series.nodes['m1']!.backlogFirst[i]! + 1));
    expect(lag.some((v, i) => v !== null && window[i] !== null && v > window[i]!)).toBe(true);
  });

  it('counts stale reads on a replica whose link is down, and refused writes', () => {
    const s = parseScenario(`
name: stale
seed: 3
duration: 12s
config: { repl-timeout: 1, min-replicas-to-write: 1, min-replicas-max-lag: 2, repl-diskless-sync-delay: 0 }
nodes: { m1: {}, r1: { replicaof: m1 } }
workload:
  - { node: m1, rate: 100/s, keys: 10 }
  - { node: r1, rate: 50/s, keys: 10, ops: { get: 1 } }
timeline:
  - { at: 2s, partition: [[m1], [r1]] }
  - { at: 8s, heal: all }
`);
    const { data } = watched(s);
    // r1 notices after repl-timeout (1–2 s), then serves stale reads until it is back (~6 s at 50/s).
    expect(data.summary.staleReads).toBeGreaterThan(150);
    expect(data.summary.staleReads).toBeLessThan(6 * 50 + 10);
    expect(data.summary.errorReplies['NOREPLICAS']).toBeGreaterThan(0);
    expect(data.summary.writesRefused).toBe(data.summary.errorReplies['NOREPLICAS']);
  });

  it('marks the AOF rewrite of an appendonly replica: a child forked right after its load', () => {
    const s = parseScenario(`
name: aof
seed: 2
duration: 3s
config: { repl-diskless-sync-delay: 0 }
nodes: { m1: {}, r1: { replicaof: m1, config: { appendonly: "yes" } } }
dataset: { node: m1, keys: 20000 }
`);
    const { data, trace } = watched(s);
    const sync = data.syncs[0]!;
    const aof = sync.phases.find((p) => p.name === 'aof-rewrite')!;
    const load = sync.phases.find((p) => p.name === 'load')!;
    expect(aof.startUs).toBe(load.endUs);
    const start = trace.find((r) => r.kind === 'aof.rewrite-start' && r.node === 'r1')!;
    const done = trace.find((r) => r.kind === 'aof.rewrite' && r.node === 'r1')!;
    // The child forks, writes the dataset, and is reaped at a later serverCron — after the
    // replica caught up, so the sync's phase stops at the sync's end.
    expect(start.t).toBe(load.endUs);
    expect(done.t - start.t).toBeGreaterThanOrEqual(Number(start['fork_us']) + Number(start['work_us']));
    expect(aof.endUs).toBe(Math.min(done.t, sync.endUs));
    expect(aof.onPath).toBe(false);
    expect(aof.keys).toBe(start['keys']);
    expect(data.scenario.appendonly).toBe(true);
  });

  it('counts refusals of the timeline\'s own commands', () => {
    // min-replicas-to-write.yaml: exactly one timeline SET gets -NOREPLICAS, and there is no workload.
    const { data } = watched(loadScenarioFile(join(dir, 'min-replicas-to-write.yaml')));
    expect(data.summary.errorReplies).toEqual({ NOREPLICAS: 1 });
    expect(data.summary.writesRefused).toBe(1);
  });
});

describe('report summary: dataset and backlog sizing rows', () => {
  it('says the backlog needed ≈ peak lag bytes, and that 1 MB was too small for a 12 s outage at ≈ 200 KB/s', () => {
    const { data } = watched(loadScenarioFile(join(dir, 'full-resync-backlog-overflow.yaml')));
    const b = data.summary.backlog;
    // 200 SETs/s of ≈ 1 KB for 12 s ≈ 2.4 MB of stream: more than the 1 MB backlog.
    expect(b.replica).toBe('r1');
    expect(b.sizeBytes).toBe(1024 * 1024);
    expect(b.peakLagBytes).toBeGreaterThan(2_000_000);
    const row = summaryTable(data).rows.find((r) => r[0] === 'backlog needed ≈ peak lag bytes')!;
    expect(row[2]).toMatch(/repl-backlog-size 1 MB is smaller: a replica this far behind needs a full resync/);
  });

  it('shows the largest RDB a fork wrote beside the node\'s used_memory then', () => {
    const s = parseScenario('seed: 1\nduration: 3s\nconfig: { repl-diskless-sync-delay: 0 }\nnodes: { m1: {}, r1: { replicaof: m1 } }\ndataset: { node: m1, keys: 10000, value-size: 1000, values: random }\n');
    const { data } = watched(s);
    const f = data.summary.largestFork!;
    // 10k keys × (1 type + 1 + "key:NNNN" + 2 + 1000 verbatim bytes) + header: ≈ 10.1 MB.
    expect(f.keys).toBe(10_000);
    expect(f.rdbBytes).toBeGreaterThan(10_000 * 1004);
    expect(f.rdbBytes).toBeLessThan(10_000 * 1020);
    expect(f.usedMemoryBytes).toBeGreaterThan(f.rdbBytes);
    const row = summaryTable(data).rows.find((r) => r[0] === 'largest RDB written')!;
    expect(row[2]).toMatch(/^m1 at 0\.\d+ s: 10,000 keys, used_memory [\d.]+ MB, rdbcompression yes$/);
  });
});
