/**
 * Figure 8 (issue 19 item 6): a full sync's phases on real redis-server and in replsim, at
 * 10k / 100k / 1M keys of 100 B: fork, RDB generation, load and the whole disk-based sync,
 * each within ± 25 % — with the default costs, and again with the costs `replsim calibrate`
 * fits to these very measurements.
 *
 * Real: `replsim calibrate`'s measurements (latest_fork_usec after a BGSAVE; SAVE, which
 * writes the RDB the BGSAVE child writes; DEBUG RELOAD into an empty server; REPLICAOF to
 * master_link_status:up on an empty second server). replsim: the same dataset, a replica
 * joining by REPLICAOF with repl-diskless-sync no, the phases of the report's breakdown
 * (sim/report/sync-phases.ts). Needs redis-server on the PATH; skipped without it.
 */
import { findRedisServer } from '../sim/cli/diff.js';
import { fitCosts, type DatasetMeasurement, type FittedCosts } from '../sim/calibrate/fit.js';
import { measureRedis } from '../sim/calibrate/measure.js';
import { collectReport } from '../sim/report/collect.js';
import type { PhaseName, SyncReport } from '../sim/report/report-data.js';
import { parseScenario } from '../sim/scenario/load.js';
import type { Scale } from './args.js';
import { check, figure, measure, type FigureResult, type Measure } from './stats.js';

const KEYS: Record<Scale, number[]> = { full: [10_000, 100_000, 1_000_000], quick: [10_000, 100_000], tiny: [1_000, 5_000] };
const VALUE_SIZE = 100;
/** The issue's tolerance: each phase within ± 25 % of the real one. */
const TOLERANCE = 0.25;

/** The model's phases of the replica's full sync of `keys` keys, in µs. */
function modelPhases(keys: number, costs: FittedCosts | null): { fork: number; rdb: number; load: number; total: number } {
  const costsYaml = costs === null ? '' : `costs: { ${Object.entries(costs).map(([k, v]) => `${k}: ${v}`).join(', ')} }\n`;
  const scenario = parseScenario(`
name: bench-sync-phases
duration: 60s
config: { repl-diskless-sync: "no", repl-diskless-sync-delay: 0 }
nodes: { m1: {}, r1: {} }
dataset: { node: m1, keys: ${keys}, value-size: ${VALUE_SIZE} }
${costsYaml}timeline:
  - { at: 1s, node: r1, command: "REPLICAOF m1 6379" }
`, 'bench-sync-phases.yaml');
  const sync: SyncReport | undefined = collectReport(scenario, { seed: '8' }).data.syncs.find((s) => s.replica === 'r1' && s.kind === 'full');
  if (sync === undefined) throw new Error(`bench: no full sync of r1 at ${keys} keys`);
  const span = (name: PhaseName): number => sync.phases.filter((p) => p.name === name).reduce((a, p) => a + (p.endUs - p.startUs), 0);
  const linkUp = sync.phases.filter((p) => p.name !== 'catch-up').reduce((a, p) => Math.max(a, p.endUs), sync.startUs);
  return { fork: span('fork'), rdb: span('rdb'), load: span('load'), total: linkUp - sync.startUs };
}

/** model / real for each phase of one measurement. */
function ratios(real: DatasetMeasurement, model: ReturnType<typeof modelPhases>): Record<'fork' | 'rdb' | 'load' | 'total', number> {
  return {
    fork: model.fork / real.forkUs,
    rdb: model.rdb / real.saveUs,
    load: model.load / real.loadUs,
    total: real.fullSyncUs === null ? Number.NaN : model.total / real.fullSyncUs,
  };
}

export async function figSyncPhases(scale: Scale, runs: number, log: (s: string) => void): Promise<FigureResult> {
  const t0 = performance.now();
  const title = 'full-sync phases: replsim against redis-server';
  const target = 'fork, RDB, load and the whole sync each within ±25 % of the real server, with default and with calibrated costs';
  const redisServer = findRedisServer(process.env);
  if (redisServer === null) {
    return figure(8, 'sync-phases', title, target, 0, [], ['redis-server is not on the PATH: not measured (apt-get install redis-server)'], performance.now() - t0);
  }
  const keys = KEYS[scale];
  // runs[r][i]: run r, dataset i.
  const real: DatasetMeasurement[][] = [];
  for (let r = 0; r < runs; r++) {
    real.push((await measureRedis({ redisServer, keys, valueSize: VALUE_SIZE, log: (s) => log(`  figure 8 run ${r + 1}: ${s}`) })).datasets);
  }
  const fitted = fitCosts(real.flat());
  const measures: Measure[] = [];
  const notes: string[] = [`calibrated costs fitted to these measurements: ${JSON.stringify(fitted)}`];
  const oks: boolean[] = [];
  for (const [label, costs] of [['default costs', null], ['calibrated', fitted]] as const) {
    keys.forEach((k, i) => {
      const model = modelPhases(k, costs);
      const rs = real.map((run) => ratios(run[i]!, model));
      for (const phase of ['fork', 'rdb', 'load', 'total'] as const) {
        const samples = rs.map((x) => x[phase]).filter((x) => Number.isFinite(x));
        if (samples.length === 0) continue;
        // How far model/real is from 1 (0.12: 12 % off either way); the target is ≤ 0.25.
        const m = measure(`${phase}: |model/real − 1|, ${k.toLocaleString('en-US')} keys, ${label}`, '', samples.map((x) => Math.abs(x - 1)), { op: '<=', value: TOLERANCE });
        measures.push(m);
        oks.push(m.pass !== false);
      }
      const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      notes.push(`${k} keys, ${label}: model fork ${(model.fork / 1000).toFixed(1)} ms, rdb ${(model.rdb / 1000).toFixed(1)} ms, load ${(model.load / 1000).toFixed(1)} ms, sync ${(model.total / 1000).toFixed(1)} ms; real fork ${(med(real.map((x) => x[i]!.forkUs)) / 1000).toFixed(1)} ms, SAVE ${(med(real.map((x) => x[i]!.saveUs)) / 1000).toFixed(1)} ms, load ${(med(real.map((x) => x[i]!.loadUs)) / 1000).toFixed(1)} ms, sync ${(med(real.map((x) => x[i]!.fullSyncUs ?? 0)) / 1000).toFixed(1)} ms`);
    });
  }
  measures.push(check('every phase within ±25 %', [oks.every(Boolean)]));
  return figure(8, 'sync-phases', title, target, runs, measures, notes, performance.now() - t0);
}
