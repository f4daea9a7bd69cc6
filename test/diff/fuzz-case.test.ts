/**
 * The differential fuzzer's generator keeps every case away from the thresholds that decide
 * an outcome (sim/diff/fuzz-case.ts): checked over many seeds, from the generated cases.
 */
import { describe, expect, it } from 'vitest';
import { diffCaseText, generateDiffCase } from '../../sim/diff/fuzz-case.js';
import { shrinkCandidates } from '../../sim/diff/fuzz-campaign.js';
import { parseScenario } from '../../sim/scenario/load.js';

const SEEDS = Array.from({ length: 300 }, (_, i) => i * 7919 + 1);

describe('generated differential cases', () => {
  it('are valid scenarios, shorter than the 10 s replication PING, and the same for the same seed', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      expect(diffCaseText(generateDiffCase(seed))).toBe(diffCaseText(c));
      const s = parseScenario(diffCaseText(c), null);
      expect(s.durationUs, `seed ${seed}`).toBeLessThan(9_500_000);
    }
  });

  it('keep outages ≥ 2 s away from repl-timeout, and faults after the first sync', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const timeoutMs = Number(c.config['repl-timeout']) * 1000;
      const firstFault = c.chain ? 2300 : 1500;
      for (const step of c.steps) {
        const pause = /pause: \w+, for: (\d+)ms/.exec(step.body);
        const heal = step.body === 'heal: all' ? c.steps.find((x) => x.episode === step.episode && x.body.startsWith('partition')) : undefined;
        const outage = pause ? Number(pause[1]) : heal ? step.atMs - heal.atMs : null;
        if (outage !== null) expect(outage <= timeoutMs - 2000 || outage >= timeoutMs + 2000, `seed ${seed}: ${outage} ms vs ${timeoutMs}`).toBe(true);
        if (!step.body.includes('command:')) expect(step.atMs, `seed ${seed}: ${step.body}`).toBeGreaterThanOrEqual(firstFault);
      }
    }
  });

  it('promote only once writes stopped 500 ms before, and end 3 s after the last fault', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const promotion = c.steps.find((s) => /NO ONE|FAILOVER/.test(s.body));
      if (promotion && c.workload) expect(promotion.atMs - c.workload.untilMs, `seed ${seed}`).toBeGreaterThanOrEqual(500);
      const last = Math.max(0, ...c.steps.map((s) => s.atMs + (Number(/for: (\d+)ms/.exec(s.body)?.[1] ?? 0))));
      expect(c.durationMs - last, `seed ${seed}`).toBeGreaterThanOrEqual(2000);
    }
  });

  it('cover every kind of step the real harness applies', () => {
    const text = SEEDS.map((seed) => diffCaseText(generateDiffCase(seed))).join('\n');
    for (const kind of ['kill-link:', 'partition:', 'pause:', 'crash: r', 'crash: m1', 'restart:', '"SAVE"', 'REPLICAOF NO ONE', 'FAILOVER TO', 'config-set:', 'XADD', 'appendonly', 'dataset:', 'workload:', 'joins r1'])
      expect(text, kind).toContain(kind);
    // A replica's own reads (and a write it refuses).
    expect(text).toMatch(/node: r\d, command: "(GET|HGETALL|LRANGE|EXISTS|SET s:\w on-a-replica)/);
  });

  it('keep repl-backlog-size ≥ 4× or ≤ ¼ of what each link break under writes needs', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const backlog = Number(c.config['repl-backlog-size'] ?? 1024 * 1024);
      if (!c.workload) continue;
      const bytesPerSec = c.workload.rate * (c.workload.valueSize + 30);
      // kill-link: a PSYNC anywhere within 1.3 s; under writes the backlog must be the big one.
      for (const st of c.steps.filter((s) => s.body.startsWith('kill-link') && s.atMs < c.workload!.untilMs)) expect(backlog, `seed ${seed}: ${st.body}`).toBeGreaterThanOrEqual(4 * bytesPerSec * 1.3);
    }
  });

  it('touch a crashed node again only once it is back, synced and online (≥ 2.5 s after its restart)', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      for (const r of c.steps.filter((st) => st.body.startsWith('restart:'))) {
        const next = c.steps.find((st) => st.episode > r.episode);
        if (next) expect(next.atMs - r.atMs, `seed ${seed}: ${next.body} after ${r.body}`).toBeGreaterThanOrEqual(2500);
      }
    }
  });

  it('tell a restarted chained replica to rejoin r1 (it joined by a command, so it restarts as a master holding a snapshot taken under writes)', () => {
    let seen = 0;
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      if (!c.chain) continue;
      const chained = `r${c.replicas}`;
      for (const r of c.steps.filter((st) => st.body === `restart: ${chained}`)) {
        const rejoin = c.steps.find((st) => st.episode === r.episode && st.body.startsWith(`node: ${chained}, command: "REPLICAOF`));
        // Promoted before (REPLICAOF NO ONE), it restarts as the master it was: nothing to tell it.
        const told = c.steps.filter((st) => st.atMs < r.atMs && st.body.startsWith(`node: ${chained}, command: "REPLICAOF`)).pop();
        if (told?.body.includes('NO ONE')) expect(rejoin, `seed ${seed}`).toBeUndefined();
        else {
          expect(rejoin?.atMs, `seed ${seed}`).toBe(r.atMs + 300);
          expect(rejoin?.body, `seed ${seed}`).toBe(`node: ${chained}, command: "REPLICAOF ${told ? /REPLICAOF (\w+)/.exec(told.body)![1] : 'r1'} 6379"`);
          seen++;
        }
      }
      // The other replicas restart with replicaof in their config: nothing to tell them.
      for (const st of c.steps.filter((s) => /^restart: r\d/.test(s.body) && s.body !== `restart: ${chained}`))
        expect(c.steps.some((x) => x.episode === st.episode && x.body.includes('REPLICAOF')), `seed ${seed}`).toBe(false);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('crash the master (m1, or the replica promoted before) only without a workload, without AOF and with an RDB under 2 MB (its first replicationCron PINGs)', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      // The master: m1, or the replica promoted before the crash.
      const crashOfMaster = c.steps.some((s) => {
        const crash = /^crash: (\w+)/.exec(s.body);
        if (!crash) return false;
        const promoted = c.steps.filter((p) => p.atMs < s.atMs && /REPLICAOF NO ONE|FAILOVER TO r1/.test(p.body)).pop();
        const master = promoted === undefined ? 'm1' : promoted.body.includes('FAILOVER') ? 'r1' : /^node: (\w+)/.exec(promoted.body)![1];
        return crash[1] === master;
      });
      if (!crashOfMaster) continue;
      expect(c.workload, `seed ${seed}`).toBeNull();
      expect(c.config['appendonly'], `seed ${seed}`).toBeUndefined();
      expect(c.dataset === null || c.dataset.keys * (c.dataset.valueSize + 20) < 2_000_000, `seed ${seed}`).toBe(true);
    }
  });

  it('keep every replication link busy: a PUBLISH on the current master at least every 2.6 s (repl-timeout ≥ 3 s), none next to a crash or promotion', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const s = parseScenario(diffCaseText(c), null);
      const keepalives = s.timeline.filter((st) => st.action.kind === 'command' && st.action.command.startsWith('PUBLISH keepalive'));
      const times = [0, ...keepalives.map((k) => k.atUs / 1000), c.durationMs];
      // Gaps come from crashes of the master (its links are down anyway) and promotions (links re-made).
      const masterDown = c.steps.some((st) => /crash: m1|node: m1, command: "SAVE"|NO ONE|FAILOVER/.test(st.body));
      // A replica's restart leaves a 1.6 s hole in the 1 s grid (no keepalive while its sync instant is uncertain).
      const limit = c.steps.some((st) => st.body.startsWith('restart:')) ? 2600 : 1300;
      for (let i = 1; i < times.length; i++) if (!masterDown) expect(times[i]! - times[i - 1]!, `seed ${seed} at ${times[i]}`).toBeLessThanOrEqual(limit);
      for (const k of keepalives) {
        const target = k.action.kind === 'command' ? k.action.node : '';
        const near = c.steps.find((st) => Math.abs(st.atMs - k.atUs / 1000) < 300 && (new RegExp(`(crash|restart): ${target}$|node: ${target}, command: "SAVE"`).test(st.body) || /REPLICAOF|FAILOVER/.test(st.body)));
        expect(near, `seed ${seed}: keepalive at ${k.atUs / 1000} ms`).toBeUndefined();
      }
      // A restarted node syncs at once or ≈ 0.9 s later (whileBlockedCron): no keepalive in between.
      for (const r of c.steps.filter((st) => st.body.startsWith('restart:'))) {
        const inside = keepalives.find((k) => k.atUs / 1000 > r.atMs - 300 && k.atUs / 1000 < r.atMs + 1300);
        expect(inside, `seed ${seed}: keepalive within 1.3 s of ${r.body} at ${r.atMs}`).toBeUndefined();
      }
      const promoted = /node: (\w+), command: "REPLICAOF NO ONE"/.exec(c.steps.map((st) => st.body).join('\n'));
      const last = keepalives[keepalives.length - 1];
      if (promoted && last && last.atUs / 1000 > c.steps.find((st) => st.body.includes('NO ONE'))!.atMs + 2000) expect(last.action.kind === 'command' && last.action.node, `seed ${seed}`).toBe(promoted[1]);
    }
  });

  it('FAILOVER only where m1 has no other direct replica, its last write ACKed before (≥ 1.2 s), the new master written to ≥ 1.3 s after', () => {
    let seen = 0;
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const f = c.steps.find((s) => s.body.includes('FAILOVER'));
      if (!f) continue;
      seen++;
      expect(c.replicas === 1 || (c.replicas === 2 && c.chain), `seed ${seed}`).toBe(true);
      const s = parseScenario(diffCaseText(c), null);
      for (const st of s.timeline) {
        if (st.action.kind !== 'command' || st.action.command.startsWith('FAILOVER')) continue;
        const atMs = st.atUs / 1000;
        const write = st.action.node === 'm1' ? atMs < f.atMs && atMs > f.atMs - 1200 : st.action.node === 'r1' && atMs > f.atMs && atMs < f.atMs + 1300;
        expect(write, `seed ${seed}: ${st.action.node} ${st.action.command} at ${atMs} ms, FAILOVER at ${f.atMs}`).toBe(false);
      }
      if (c.workload) expect(f.atMs - c.workload.untilMs, `seed ${seed}`).toBeGreaterThanOrEqual(1200);
    }
    expect(seen).toBeGreaterThan(3);
  });

  it('shrink to smaller cases only', () => {
    const c = generateDiffCase(SEEDS.find((s) => generateDiffCase(s).steps.length >= 3)!);
    for (const k of shrinkCandidates(c)) {
      const size = (x: typeof c): number => x.steps.length + (x.workload ? 1 : 0) + (x.dataset ? 1 : 0) + x.replicas + Object.keys(x.config).length + (x.chain ? 1 : 0);
      expect(size(k)).toBeLessThan(size(c));
    }
  });
});
