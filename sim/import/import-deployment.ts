/**
 * `replsim import`'s core, pure: captures of a real deployment's nodes in, a scenario file's
 * text out, with every derived figure and its source (printed by the CLI, and written into
 * the file as comments). The CLI reads the files; nothing here touches the outside world.
 */
import { CaptureError, parseBigKeys, parseConfigGet, parseInfoCaptures, type BigKeysSummary } from './captures.js';
import { deriveDataset, deriveSettings, type Derivation, type OptionValue } from './derive.js';
import { captureSpanSeconds, deriveWorkload } from './workload-derivation.js';
import { checkInfoVersion } from './info-versions.js';
import { sentinelSections, type SentinelFiles } from './sentinels.js';
import { checkCaptures, latest, replicationEdges, type CapturedNode } from './topology.js';

/** One node's capture files, as text, by kind. */
export interface NodeFiles {
  name: string;
  info: { file: string; text: string };
  config?: { file: string; text: string };
  bigkeys?: { file: string; text: string };
}

export interface ImportOptions {
  /** The Sentinels' captures (SENTINEL MASTERS, their INFO), if the deployment has them. */
  sentinels?: readonly SentinelFiles[];
  /** name → IP, for telling apart nodes that listen on the same port. */
  addresses?: ReadonlyMap<string, string>;
  scenarioName?: string;
  durationSec?: number;
  /** Read captures of Redis 6.2 and 7.1+ too (refused by default: replsim reads 7.0's INFO). */
  anyVersion?: boolean;
}

export interface ImportResult {
  text: string;
  derivations: Derivation[];
  warnings: string[];
}

const NODE_NAME = /^[A-Za-z0-9_-]+$/;

export function importDeployment(files: readonly NodeFiles[], opts: ImportOptions = {}): ImportResult {
  if (files.length === 0) throw new CaptureError('', 0, 'no captures given', 'give a directory with <node>.info (and <node>.config) files');
  const warnings: string[] = [];
  const nodes: CapturedNode[] = [];
  const bigkeys = new Map<string, BigKeysSummary>();
  for (const f of files) {
    if (!NODE_NAME.test(f.name)) {
      throw new CaptureError(f.info.file, 0, `"${f.name}" cannot be a node name (letters, digits, - and _ only)`, 'rename the capture files, e.g. m1.info, r1.info');
    }
    const info = parseInfoCaptures(f.info.file, f.info.text);
    if (info[0]!.fields.get('redis_mode') === 'sentinel') {
      throw new CaptureError(f.info.file, info[0]!.line, 'this is a Sentinel, not a redis-server, and it has no SENTINEL MASTERS capture',
        `capture what it monitors: redis-cli -h HOST -p 26379 SENTINEL MASTERS > ${f.name}.sentinel`);
    }
    const families = info.map((c) => checkInfoVersion(f.info.file, c, opts.anyVersion ?? false));
    const version = info[0]!.fields.get('redis_version')!;
    if (families[0] !== '7.0') warnings.push(`${f.name}: redis_version ${version} imported with --any-version; replsim models 7.0 — check the figures taken from fields whose meaning changed`);
    const config = f.config ? parseConfigGet(f.config.file, f.config.text) : null;
    nodes.push({
      name: f.name,
      infoFile: f.info.file,
      info,
      configFile: f.config?.file ?? null,
      config,
      // Its address: given by the user, else the one it announces to its master (a master's
      // slaveN line shows that one, as replicationGetSlaveName does).
      ip: opts.addresses?.get(f.name) ?? announcedIp(config),
      family: families[0]!,
    });
    if (!f.config) warnings.push(`${f.name}: no CONFIG GET capture; its settings are taken as replsim's defaults`);
    if (f.bigkeys) bigkeys.set(f.name, parseBigKeys(f.bigkeys.file, f.bigkeys.text));
  }
  checkCaptures(nodes);
  const edges = replicationEdges(nodes);
  const masterOf = new Map(edges.map((e) => [e.replica, e]));
  const derivations: Derivation[] = [];

  // Settings: common to every node → `config:`, the rest per node.
  const perNode = new Map(nodes.map((n) => [n.name, deriveSettings(n)]));
  const common = commonOptions(nodes.map((n) => perNode.get(n.name)!.modelled));

  const lines: string[] = [];
  const name = opts.scenarioName ?? 'imported-deployment';
  const sentinelNote = (opts.sentinels ?? []).length > 0 ? ` and ${opts.sentinels!.length} Sentinel${opts.sentinels!.length === 1 ? '' : 's'}` : '';
  lines.push(`# Imported by \`replsim import\` from captures of ${nodes.length} node${nodes.length === 1 ? '' : 's'}${sentinelNote} (${nodes.map((n) => n.infoFile).join(', ')}).`);
  lines.push('# Every derived figure says where it came from; check them, then: npx replsim run THIS-FILE');
  lines.push(`name: ${name}`);
  lines.push('description: >');
  lines.push(`  A deployment imported from its nodes' INFO and CONFIG GET: ${describeTopology(nodes, masterOf)}.`);
  lines.push('  Add a fault to the timeline to ask what it does here.');
  const durationSec = opts.durationSec ?? 60;
  lines.push(`duration: ${durationSec}s`);
  if (common.length > 0) {
    lines.push('config:');
    for (const o of common) lines.push(`  ${o.name}: ${yamlScalar(o.value)}    # ${o.source}`);
  }
  lines.push('nodes:');
  for (const n of nodes) {
    const parts: string[] = [];
    const edge = masterOf.get(n.name);
    if (edge) parts.push(`replicaof: ${edge.master}`);
    const own = perNode.get(n.name)!.modelled.filter((o) => !common.some((c) => c.name === o.name && c.value === o.value));
    const port = latest(n, 'tcp_port');
    if (port !== undefined && port !== '6379') own.unshift({ name: 'port', value: port, source: 'INFO tcp_port' });
    if (own.length > 0) parts.push(`config: { ${own.map((o) => `${o.name}: ${yamlScalar(o.value)}`).join(', ')} }`);
    const why = edge ? `master_host ${latest(n, 'master_host')}:${latest(n, 'master_port')} (${edge.how})` : `role:${latest(n, 'role')}`;
    lines.push(`  ${n.name}: { ${parts.join(', ')} }    # ${why}; run_id ${(latest(n, 'run_id') ?? '?').slice(0, 8)}`);
  }

  const sentinels = opts.sentinels ?? [];
  const monitored = sentinels.length > 0 ? sentinelSections(sentinels, nodes, derivations, warnings) : null;
  if (monitored) lines.push(...monitored.lines);

  // Dataset and workload: on each replication tree's root.
  const roots = nodes.filter((n) => !masterOf.has(n.name));
  const datasetLines: string[] = [];
  const workloadLines: string[] = [];
  for (const root of roots) {
    const ds = deriveDataset(root, bigkeys.get(root.name) ?? null, derivations);
    for (const d of ds) {
      datasetLines.push(`  - { node: ${root.name}, keys: ${d.keys}, value-size: ${d.valueSize}${d.db !== 0 ? `, db: ${d.db}` : ''}, values: random }    # db${d.db}:keys=${d.keys}; value size: see the derivations above`);
    }
    const keys = ds.find((d) => d.db === 0)?.keys ?? 1000;
    const wl = deriveWorkload(root, keys, bigkeys.get(root.name) ?? null, derivations);
    if (wl !== null) {
      const total = Object.values(wl.ops).reduce((a, b) => a + (b ?? 0), 0);
      const mix = Object.entries(wl.ops)
        .map(([op, r]) => `${op}: ${round3((r ?? 0) / total)}`)
        .join(', ');
      const valueSize = wl.valueSize ?? ds[0]?.valueSize ?? 100;
      const ttl = wl.ttlMs !== null ? `, ttl: ${wl.ttlMs}ms` : '';
      // The writes stop a second before the end, so `converged` judges whether the replicas
      // caught up, not whether a write was in flight at the last instant.
      const until = durationSec >= 2 ? `, until: ${durationSec - 1}s` : '';
      workloadLines.push(`  - { node: ${root.name}, rate: ${Math.max(1, Math.round(wl.rateHz))}/s, keys: ${keys}, value-size: ${valueSize}, ops: { ${mix} }${ttl}${until} }    # until: a quiet last second, for converged`);
      for (const u of wl.unmodelled.sort((a, b) => b.perSec - a.perSec)) {
        // Under Sentinel, PUBLISH on a master is mostly the Sentinels' hellos, which they simulate themselves.
        const why = u.command === 'publish' && (opts.sentinels ?? []).length > 0 ? "the Sentinels' hello messages, which the simulated Sentinels send" : 'no workload op for it yet';
        workloadLines.push(`    # not in the workload: ${u.command} ${u.perSec.toFixed(1)}/s (${why})`);
      }
      const span = captureSpanSeconds(root);
      if (span !== null && span < 2) warnings.push(`${root.name}: its two INFO captures are ${span.toFixed(3)} s apart, too close for steady rates: capture the second one ~10 s after the first`);
      if (span === null) warnings.push(`${root.name}: one INFO capture, so the rates are instantaneous_ops_per_sec and instantaneous_input_kbps (the last ~1.6 s); append a second capture some seconds later for rates over that span and the replication byte rate`);
    }
  }
  lines.push('# Derived figures:');
  for (const d of derivations) lines.push(`#   ${d.node} ${d.what} = ${d.value}   (${d.source})`);
  if (datasetLines.length > 0) {
    lines.push('# The dataset: strings like DEBUG POPULATE\'s. INFO gives no RDB size, so the values are taken as');
    lines.push('# incompressible (values: random: the largest RDB, the longest full sync). If yours compress, write');
    lines.push('# values: { ratio: R } with R = the size of your dump.rdb / used_memory_dataset (scenarios/FORMAT.md).');
    lines.push('dataset:');
    lines.push(...datasetLines);
  }
  if (workloadLines.length > 0) {
    lines.push('workload:');
    lines.push(...workloadLines);
  }
  const unmodelled = nodes.flatMap((n) => perNode.get(n.name)!.unmodelled.map((o) => ({ node: n.name, ...o })));
  if (unmodelled.length > 0) {
    lines.push('# Set differently from Redis 7.0 defaults, but not simulated by replsim (no effect on the run):');
    for (const o of unmodelled) lines.push(`#   ${o.node}: ${o.name} ${o.value === '' ? '""' : o.value}   (${o.source})`);
  }
  lines.push('timeline: []');
  lines.push('# An example fault to start from (remove `[]` above and uncomment):');
  lines.push(`#   - { at: 10s, partition: [[${roots[0]!.name}], [${nodes.filter((n) => n !== roots[0]).map((n) => n.name).join(', ')}]] }`);
  lines.push('#   - { at: 40s, heal: all }');
  if (monitored) {
    lines.push(`#   - { at: 10s, crash: ${roots[0]!.name} }    # the Sentinels fail it over after down-after-milliseconds`);
    lines.push('# and a client that follows the Sentinels (what it loses, by cause, is in the output), under workload:');
    lines.push(`#   - sentinel-client: { sentinels: [${sentinels.map((s) => s.name).join(', ')}], master: ${monitored.masterNames[0]}, rate: 100/s }`);
  }
  lines.push('expect:');
  lines.push('  - { converged: true }');
  return { text: `${lines.join('\n')}\n`, derivations, warnings };
}

function announcedIp(config: Map<string, string> | null): string | null {
  const ip = config?.get('replica-announce-ip') ?? '';
  return ip !== '' ? ip : null;
}

/** Options every node sets to the same value. */
function commonOptions(perNode: OptionValue[][]): OptionValue[] {
  if (perNode.length === 0) return [];
  return perNode[0]!.filter((o) => perNode.every((list) => list.some((x) => x.name === o.name && x.value === o.value)));
}

function describeTopology(nodes: readonly CapturedNode[], masterOf: ReadonlyMap<string, { master: string }>): string {
  const roots = nodes.filter((n) => !masterOf.has(n.name)).map((n) => n.name);
  const replicas = nodes.length - roots.length;
  return `${roots.length === 1 ? `master ${roots[0]}` : `masters ${roots.join(', ')}`} with ${replicas} replica${replicas === 1 ? '' : 's'}`;
}

function yamlScalar(v: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(v) && !/^(yes|no|true|false|null|on|off)$/i.test(v) ? v : JSON.stringify(v);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
