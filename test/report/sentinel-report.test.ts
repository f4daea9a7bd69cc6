/**
 * The Sentinel part of a report: each Sentinel's lane, the failover Gantt, the clients'
 * windows without a writable master and the lost writes, derived from the model's own
 * settings (down-after-milliseconds, the fault's time) and cross-checked against what
 * `run` answers for the same seed — never numbers copied from an earlier run.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../sim/engine/index.js';
import { clientAvailability, commonOutage, SLOW_WRITE_US } from '../../sim/report/client-availability.js';
import { collectReport } from '../../sim/report/collect.js';
import { renderReportHtml } from '../../sim/report/html.js';
import { renderReportMarkdown } from '../../sim/report/markdown.js';
import { buildSentinelLanes } from '../../sim/report/sentinel-lanes.js';
import { loadScenarioFile, parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');

describe('a Sentinel failover in the report (sentinel-master-crash: crash m1 at 10 s, down-after 5000)', () => {
  const scenario = loadScenarioFile(join(dir, 'sentinel-master-crash.yaml'));
  const { data, result } = collectReport(scenario);
  const s = data.sentinel!;
  const crashUs = 10_000_000;
  const downAfterUs = 5_000_000;

  it('gives every Sentinel a lane that ends naming the promoted replica', () => {
    expect(s.lanes.map((l) => l.sentinel)).toEqual(['s1', 's2', 's3']);
    for (const l of s.lanes) {
      expect(l.names[0]!.node).toBe('m1');
      expect(l.names.at(-1)!.node).toBe(result.failovers![0]!.to);
      // SDOWN only after down-after-milliseconds without a valid reply, and closed by the switch at the latest.
      for (const b of l.bands.filter((x) => x.kind === 'sdown' && x.instance === 'm1')) {
        expect(b.startUs).toBeGreaterThanOrEqual(crashUs + downAfterUs);
        expect(b.endUs).not.toBeNull();
        expect(b.endUs!).toBeLessThanOrEqual(l.names.at(-1)!.fromUs);
      }
    }
    const leader = s.lanes.find((l) => l.sentinel === result.failovers![0]!.leader)!;
    expect(leader.marks.map((m) => m.kind)).toEqual(expect.arrayContaining(['try-failover', 'vote', 'elected-leader', 'switch-master']));
    expect(leader.bands.some((b) => b.kind === 'failover')).toBe(true);
    // Votes name Sentinels, not run ids.
    for (const l of s.lanes) for (const m of l.marks.filter((x) => x.kind === 'vote')) expect(m.text).toMatch(/votes for (itself|s[123]) in epoch 1/);
  });

  it('splits the failover into consecutive phases from the crash to the switch', () => {
    expect(s.failovers).toHaveLength(1);
    const f = s.failovers[0]!;
    expect(f.outcome).toBe('switched');
    expect(f.startUs).toBe(crashUs);
    const main = f.phases.filter((p) => p.name !== 'propagation' && p.name !== 'conversion');
    expect(main.map((p) => p.name)).toEqual(['detection', 'odown', 'start', 'election', 'promotion', 'reconfiguration']);
    for (let i = 1; i < main.length; i++) expect(main[i]!.startUs).toBe(main[i - 1]!.endUs);
    const detection = main[0]!;
    expect(detection.endUs - detection.startUs).toBeGreaterThanOrEqual(downAfterUs);
    // …plus at most a PING period (1 s) and a timer tick.
    expect(detection.endUs - detection.startUs).toBeLessThanOrEqual(downAfterUs + 1_200_000);
    const leaderSwitch = result.failovers![0]!.steps.find((x) => x.step === '+switch-master')!;
    expect(main.at(-1)!.endUs).toBe(leaderSwitch.t);
    // The old master restarted at 30 s is converted afterwards.
    expect(f.phases.at(-1)!.name).toBe('conversion');
    expect(f.phases.at(-1)!.endUs).toBeGreaterThan(30_000_000);
  });

  it('has the client without a writable master from the crash until after the promotion', () => {
    expect(s.clients).toHaveLength(1);
    const c = s.clients[0]!;
    const w = c.windows.find((x) => x.fromUs >= crashUs - 1_000_000)!;
    expect(w.fromUs).toBeLessThanOrEqual(crashUs);
    const promoted = s.failovers[0]!.phases.find((p) => p.name === 'promotion')!.endUs;
    expect(w.toUs).not.toBeNull();
    expect(w.toUs!).toBeGreaterThan(crashUs + downAfterUs);
    expect(w.toUs!).toBeGreaterThanOrEqual(promoted - 1_000_000);
    expect(c.written).toBe(result.clientWrites!.written);
    expect(c.acknowledged).toBe(result.clientWrites!.acknowledged);
    expect(s.writes!.lost).toBe(0);
  });

  it('draws the lanes, the clients and the Gantt, labelled, and puts the tables in the Markdown', () => {
    const html = renderReportHtml(data);
    for (const title of ['Sentinels over time', 'Sentinel-aware clients: writable master and lost writes', 'Where the time of each failover went', 'Failovers', 'What each Sentinel saw']) {
      expect(html).toContain(`<h2>${title}</h2>`);
    }
    expect(html.match(/aria-label="/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toMatch(/url\(|https?:/i);
    const md = renderReportMarkdown(data);
    expect(md).toContain('## Failovers');
    expect(md).toContain(`| 1 | m1 → ${s.failovers[0]!.to} |`);
    expect(md).toContain('## Sentinel-aware clients');
  });

  it('leaves the trace alone: the same hash as a run without the report', () => {
    expect(runScenario(scenario).traceHash).toBe(result.traceHash);
  });
});

describe('lost writes in the report (sentinel-min-replicas-isolated-master)', () => {
  it('lists every lost acknowledged write, by the cause run gives it', () => {
    const { data, result } = collectReport(loadScenarioFile(join(dir, 'sentinel-min-replicas-isolated-master.yaml')));
    const s = data.sentinel!;
    const w = result.clientWrites!;
    expect(s.lostWrites).toHaveLength(w.lost);
    expect(w.lost).toBeGreaterThan(0);
    const byCause: Record<string, number> = {};
    for (const l of s.lostWrites) byCause[l.cause] = (byCause[l.cause] ?? 0) + 1;
    expect(byCause).toEqual(w.byCause);
    expect(s.writes!.byCause).toEqual(w.byCause);
    // Lost writes were acknowledged by m1 while it was cut off (the partition starts at 10 s).
    for (const l of s.lostWrites) {
      expect(l.node).toBe('m1');
      expect(l.acknowledgedUs).toBeGreaterThanOrEqual(10_000_000);
    }
    const html = renderReportHtml(data);
    expect(html).toContain('Lost acknowledged writes by cause');
    expect(html).toContain(`${w.byCause['minority-side-master']} acknowledged writes`);
    expect(data.summary.errorReplies['NOREPLICAS']).toBe(w.failed);
  });
});

const ev = (t: number, node: string, type: string, msg: string): TraceEvent => ({ t, node, kind: 'sentinel.event', type, msg } as TraceEvent);

describe('buildSentinelLanes', () => {
  it('opens and closes SDOWN/ODOWN, ends them at the switch, names voters, and marks a crash', () => {
    const recs: TraceEvent[] = [
      ev(1, 'a', '+sdown', 'master mm m1 6379'),
      ev(2, 'a', '+odown', 'master mm m1 6379 #quorum 2/2'),
      ev(3, 'a', '+new-epoch', '1'),
      ev(3, 'a', '+try-failover', 'master mm m1 6379'),
      ev(3, 'a', '+vote-for-leader', 'idb 1'),
      ev(5, 'a', '+switch-master', 'mm m1 6379 r1 6379'),
      ev(6, 'b', '+sdown', 'slave r2:6379 r2 6379 @ mm r1 6379'),
      { t: 7, node: 'b', kind: 'sentinel.crash' } as TraceEvent,
      { t: 9, node: 'b', kind: 'sentinel.boot', port: 26379, myid: 'idb' } as TraceEvent,
    ];
    const [a, b] = buildSentinelLanes(recs, { sentinels: ['a', 'b'], names: new Map([['ida', 'a'], ['idb', 'b']]), master: 'mm', monitoredHost: 'm1', endUs: 10 });
    expect(a!.bands.map((x) => [x.kind, x.startUs, x.endUs])).toEqual([['sdown', 1, 5], ['odown', 2, 5], ['failover', 3, 5]]);
    expect(a!.names).toEqual([{ fromUs: 0, node: 'm1' }, { fromUs: 5, node: 'r1' }]);
    expect(a!.marks.find((m) => m.kind === 'vote')!.text).toBe('votes for b in epoch 1');
    // A replica's SDOWN is not the master's; the crash is a down band until the restart.
    expect(b!.bands.map((x) => [x.kind, x.startUs, x.endUs])).toEqual([['down', 7, 9]]);
  });
});

describe('clientAvailability', () => {
  const write = (t: number, key: string): TraceEvent => ({ t, node: 'm1', kind: 'client.write', key, value: key, db: 0, client: 'app' } as TraceEvent);
  const done = (t: number, key: string, invoked: number, set: string): TraceEvent =>
    ({ t, node: 'm1', kind: 'client.acked-write', key, value: key, db: 0, invoked_us: invoked, before: -1, woff: -1, set, wait: '', acked: 0, wanted: 0, client: 'app' } as TraceEvent);

  it('opens a window at the first failed write and closes it at the next acknowledged one', () => {
    const recs = [
      write(10, 'k1'), done(11, 'k1', 10, 'OK'),
      write(20, 'k2'), done(25, 'k2', 20, '(error) NOREPLICAS Not enough good replicas to write.'),
      write(30, 'k3'), done(40, 'k3', 30, 'no reply'),
      write(50, 'k4'), done(52, 'k4', 50, 'OK'),
      write(60, 'k5'), done(61, 'k5', 60, 'no reply'),
    ];
    const [c] = clientAvailability(recs, ['app'], 100);
    expect(c!.windows).toEqual([
      { fromUs: 20, toUs: 52, reply: '(error) NOREPLICAS Not enough good replicas to write.' },
      { fromUs: 60, toUs: null, reply: 'no reply' },
    ]);
    expect(c!.unavailableUs).toBe(32 + 40);
    expect([c!.written, c!.acknowledged, c!.failed, c!.firstWriteUs]).toEqual([5, 2, 3, 10]);
  });

  it('counts a write that waited longer than the default client timeout for its OK as a window', () => {
    const slow = SLOW_WRITE_US + 1;
    const recs = [write(10, 'k1'), done(10 + slow, 'k1', 10, 'OK'), write(20 + slow, 'k2'), done(21 + slow, 'k2', 20 + slow, 'OK')];
    const [c] = clientAvailability(recs, ['app'], 10 * slow);
    expect(c!.windows.map((w) => [w.fromUs, w.toUs])).toEqual([[10, 10 + slow]]);
    expect(c!.windows[0]!.reply).toMatch(/^OK after /);
    // Exactly the limit is still a write.
    expect(clientAvailability([write(0, 'k'), done(SLOW_WRITE_US, 'k', 0, 'OK')], ['app'], 10 * slow)[0]!.windows).toEqual([]);
  });

  it('intersects the clients\' windows into the time no client could write', () => {
    const a = { client: 'a', firstWriteUs: 0, written: 1, acknowledged: 0, failed: 1, unavailableUs: 0, windows: [{ fromUs: 10, toUs: 50, reply: 'x' }, { fromUs: 80, toUs: null, reply: 'x' }] };
    const b = { client: 'b', firstWriteUs: 0, written: 1, acknowledged: 0, failed: 1, unavailableUs: 0, windows: [{ fromUs: 30, toUs: 90, reply: 'x' }] };
    const never = { client: 'n', firstWriteUs: null, written: 0, acknowledged: 0, failed: 0, unavailableUs: 0, windows: [] };
    expect(commonOutage([a, b, never], 100)).toEqual([{ fromUs: 30, toUs: 50 }, { fromUs: 80, toUs: 90 }]);
    expect(commonOutage([a], 100)).toEqual([{ fromUs: 10, toUs: 50 }, { fromUs: 80, toUs: null }]);
  });
});

describe('the wait: clients\' lost writes in the report', () => {
  it('counts them by cause as run does, in the HTML, the Markdown and data.json', () => {
    // The master restarts empty (no persistence) while its replica is cut off: the writes WAIT
    // could not get acknowledged, but SET answered OK, are lost to the restart.
    const scenario = parseScenario(`
name: wait-loss
seed: 2
duration: 8s
config: { save: "" }
nodes: { m1: {}, r1: { replicaof: m1 } }
workload:
  - { node: m1, rate: 50/s, until: 6s, wait: { replicas: 1, timeout: 100ms } }
timeline:
  - { at: 2s, partition: [[m1], [r1]] }
  - { at: 3s, crash: m1 }
  - { at: 3500ms, restart: m1 }
  - { at: 4s, heal: all }
`, 'wait-loss.yaml');
    const { data, result } = collectReport(scenario);
    const u = result.durability!;
    expect(u.lost).toBeGreaterThan(0);
    expect(data.durability).toEqual(u);
    expect(data.sentinel).toBeUndefined();
    const html = renderReportHtml(data);
    const md = renderReportMarkdown(data);
    for (const text of [html, md]) {
      expect(text).toContain('Writes of the wait: clients');
      expect(text).toContain(`${u.lost} lost (${u.lostAcknowledged} WAIT-acknowledged)`);
      for (const c of u.byCause) expect(text).toContain(c.title);
    }
  });
});
