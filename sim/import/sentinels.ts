/**
 * Sentinel captures for `replsim import`: `redis-cli -p 26379 SENTINEL MASTERS > s1.sentinel`
 * (sentinelCommand's MASTERS reply, one field/value list per monitored master as
 * addReplySentinelRedisInstance writes it; redis-cli prints it one item per line when its
 * output is a file, numbered and quoted on a terminal — both are read), and optionally the
 * Sentinel's own `INFO` (`s1.info`, redis_mode:sentinel) for its port. Each monitored master
 * is matched to a captured Redis node by its address; the settings every Sentinel shares go
 * into `sentinel:`, the others into that Sentinel's `config:`.
 */
import { CaptureError, parseInfoCaptures } from './captures.js';
import { checkSentinelReplicas, uncapturedSentinels } from './sentinel-peers.js';
import { parseSentinelReply, wholeNumber } from './sentinel-records.js';
import type { Derivation } from './derive.js';
import { latest, portOf, type CapturedNode } from './topology.js';

/** One Sentinel's capture files, as text. */
export interface SentinelFiles {
  name: string;
  sentinel: { file: string; text: string };
  info?: { file: string; text: string };
  /** SENTINEL SENTINELS <master>: its peers, for the Sentinels that were not captured. */
  sentinels?: { file: string; text: string };
  /** SENTINEL REPLICAS <master>: checked against the captured replicas. */
  replicas?: { file: string; text: string };
}

/** One master of a SENTINEL MASTERS reply, with the fields the scenario needs. */
export interface SentinelMasterRecord {
  name: string;
  ip: string;
  port: number;
  quorum: number;
  /** The per-master sentinel.conf options, by their names. */
  options: Map<PerMasterOption, number>;
  flags: string;
  numOtherSentinels: number;
  /** The line of the record's `name` field (1-based). */
  line: number;
}

type PerMasterOption = 'down-after-milliseconds' | 'failover-timeout' | 'parallel-syncs';

/** The per-master options a scenario's `sentinel:` section takes, with sentinel.c's defaults. */
const PER_MASTER_OPTIONS: ReadonlyArray<[PerMasterOption, number]> = [
  ['down-after-milliseconds', 30_000],
  ['failover-timeout', 180_000],
  ['parallel-syncs', 1],
];

const SENTINEL_PORT = 26379;

/** Parses a SENTINEL MASTERS capture into its master records. */
export function parseSentinelMasters(file: string, text: string): SentinelMasterRecord[] {
  return parseSentinelReply(file, text, 'SENTINEL MASTERS', false).map((r) => {
    const num = (field: string): number => wholeNumber(file, r, field, 'SENTINEL MASTERS');
    const options = new Map<PerMasterOption, number>();
    for (const [option] of PER_MASTER_OPTIONS) if (r.fields.has(option)) options.set(option, num(option));
    return {
      name: r.fields.get('name')!.text,
      ip: r.fields.get('ip')?.text ?? '',
      port: num('port'),
      quorum: num('quorum'),
      options,
      flags: r.fields.get('flags')?.text ?? '',
      numOtherSentinels: r.fields.has('num-other-sentinels') ? num('num-other-sentinels') : 0,
      line: r.line,
    };
  });
}

/** The `sentinels:` and `sentinel:` sections for the captured Sentinels, as scenario lines, and the monitored master names. */
export function sentinelSections(sentinels: readonly SentinelFiles[], nodes: readonly CapturedNode[], derivations: Derivation[], warnings: string[]): { lines: string[]; masterNames: string[] } {
  const nodeNames = new Set(nodes.map((n) => n.name));
  const captured = sentinels.map((s) => {
    if (nodeNames.has(s.name)) {
      throw new CaptureError(s.sentinel.file, 0, `${s.name} has both Redis node captures and a Sentinel capture`, 'name each process once: a Sentinel s1.sentinel, a node m1.info');
    }
    return { name: s.name, file: s.sentinel.file, port: sentinelPort(s), masters: parseSentinelMasters(s.sentinel.file, s.sentinel.text) };
  });
  const monitors = monitoredMasters(captured, nodes, derivations, warnings);
  const first = monitors[0]!;
  checkSentinelReplicas(sentinels, { name: first.name, node: nodes.find((n) => n.name === first.master)! }, nodes, derivations, warnings);
  const uncaptured = uncapturedSentinels(sentinels, first.name, warnings);
  const lines = [`sentinels:    # from ${captured.map((s) => s.file).join(', ')}`];
  const shared = new Map<PerMasterOption, number>();
  const own = new Map<string, string[]>();
  for (const [option, fallback] of PER_MASTER_OPTIONS) {
    const values = captured.map((s) => optionOf(s, option, fallback, warnings));
    if (values.every((v) => v === values[0])) shared.set(option, values[0]!);
    else captured.forEach((s, i) => own.set(s.name, [...(own.get(s.name) ?? []), `${option}: ${values[i]}`]));
  }
  for (const s of captured) {
    const parts: string[] = [];
    if (s.port !== SENTINEL_PORT) parts.push(`port: ${s.port}`);
    if (own.has(s.name)) parts.push(`config: { ${own.get(s.name)!.join(', ')} }`);
    lines.push(`  ${s.name}: { ${parts.join(', ')} }`);
  }
  for (const u of uncaptured) {
    lines.push(`  ${u.name}: { ${u.port !== SENTINEL_PORT ? `port: ${u.port} ` : ''}}    # not captured: SENTINEL SENTINELS lists ${u.ip}:${u.port} (${u.source}); the shared settings assumed`);
    derivations.push({ node: u.name, what: 'Sentinel (not captured)', value: `${u.ip}:${u.port}`, source: `SENTINEL SENTINELS ${first.name}, listed by every captured Sentinel` });
  }
  lines.push('sentinel:');
  if (monitors.length === 1) lines.push(`  monitor: ${monitorText(monitors[0]!)}    # ${monitors[0]!.source}`);
  else {
    lines.push('  monitor:');
    for (const m of monitors) lines.push(`    - ${monitorText(m)}    # ${m.source}`);
  }
  for (const [option, value] of shared) lines.push(`  ${option}: ${value}    # SENTINEL MASTERS ${option}, the same on every Sentinel`);
  const known = Math.max(...captured.flatMap((s) => s.masters.map((m) => m.numOtherSentinels + 1)));
  if (known > captured.length + uncaptured.length) {
    warnings.push(`the Sentinels know ${known} Sentinels (num-other-sentinels), ${captured.length} were captured: the scenario has only those, which changes the majority a failover needs — capture the others too, or each one's SENTINEL SENTINELS ${first.name}`);
  }
  return { lines, masterNames: monitors.map((m) => m.name) };
}

interface Monitor {
  name: string;
  master: string;
  quorum: number;
  source: string;
}

function monitorText(m: Monitor): string {
  return `{ name: ${m.name}, master: ${m.master}, quorum: ${m.quorum} }`;
}

/** Every master name any Sentinel monitors, matched to a captured node, with its quorum. */
function monitoredMasters(captured: ReadonlyArray<{ name: string; file: string; masters: SentinelMasterRecord[] }>, nodes: readonly CapturedNode[], derivations: Derivation[], warnings: string[]): Monitor[] {
  const names = [...new Set(captured.flatMap((s) => s.masters.map((m) => m.name)))];
  return names.map((name) => {
    const views = captured.flatMap((s) => s.masters.filter((m) => m.name === name).map((m) => ({ sentinel: s, record: m })));
    const missing = captured.filter((s) => !s.masters.some((m) => m.name === name)).map((s) => s.name);
    if (missing.length > 0) warnings.push(`${missing.join(', ')} do${missing.length === 1 ? 'es' : ''} not monitor ${name}; in the scenario every Sentinel monitors every master`);
    const first = views[0]!;
    const addresses = new Set(views.map((v) => `${v.record.ip}:${v.record.port}`));
    if (addresses.size > 1) warnings.push(`the Sentinels disagree on ${name}'s address (${[...addresses].join(', ')}: captured during a failover?); using ${first.sentinel.name}'s`);
    const node = nodeAt(nodes, first.record, first.sentinel.file);
    if (latest(node, 'role') !== 'master') warnings.push(`${first.sentinel.name} names ${node.name} as ${name}'s master, but ${node.name} reports role:${latest(node, 'role')} (captured during a failover?)`);
    if (/\b[so]_down\b/.test(first.record.flags)) warnings.push(`${name} was ${first.record.flags} when ${first.sentinel.name} was captured`);
    const quorums = views.map((v) => v.record.quorum);
    const quorum = mostCommon(quorums);
    if (new Set(quorums).size > 1) warnings.push(`the Sentinels set different quorums for ${name} (${quorums.join(', ')}); the scenario uses ${quorum} for all`);
    derivations.push({ node: first.sentinel.name, what: `monitor ${name}`, value: `${node.name} quorum ${quorum}`, source: `SENTINEL MASTERS ip ${first.record.ip} port ${first.record.port} quorum` });
    return { name, master: node.name, quorum, source: `SENTINEL MASTERS: ${first.record.ip}:${first.record.port} is ${node.name}` };
  });
}

/** The captured node at a master record's address: by port, then by IP where ports repeat. */
function nodeAt(nodes: readonly CapturedNode[], r: SentinelMasterRecord, file: string): CapturedNode {
  let candidates = nodes.filter((n) => portOf(n) === r.port);
  if (candidates.length > 1) candidates = candidates.filter((n) => n.ip === r.ip);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0 && nodes.filter((n) => portOf(n) === r.port).length === 0) {
    throw new CaptureError(file, r.line, `master ${r.name} is at ${r.ip}:${r.port}, which is none of the captured nodes`,
      `capture that node too (INFO everything and CONFIG GET '*'), or give its address: --address NAME=${r.ip}`);
  }
  const fits = nodes.filter((n) => portOf(n) === r.port).map((n) => n.name);
  throw new CaptureError(file, r.line, `cannot tell which capture is ${r.name}'s master (${r.ip}:${r.port}): ${fits.join(', ')} all listen on port ${r.port}`,
    `give the nodes' addresses, e.g. --address ${fits[0]}=${r.ip}`);
}

/** A per-master option of one Sentinel: the same for all its masters, else the first master's. */
function optionOf(s: { name: string; masters: SentinelMasterRecord[] }, option: PerMasterOption, fallback: number, warnings: string[]): number {
  const values = s.masters.map((m) => m.options.get(option) ?? fallback);
  if (new Set(values).size > 1) warnings.push(`${s.name} sets ${option} per master (${values.join(', ')}); a scenario sets it per Sentinel, so ${values[0]} is used`);
  return values[0]!;
}

/** The port from the Sentinel's INFO capture, if one was given; else Sentinel's default. */
function sentinelPort(s: SentinelFiles): number {
  if (s.info === undefined) return SENTINEL_PORT;
  const info = parseInfoCaptures(s.info.file, s.info.text);
  const first = info[0]!;
  if (first.fields.get('redis_mode') !== 'sentinel') {
    throw new CaptureError(s.info.file, first.line, `${s.name} has a SENTINEL MASTERS capture, but its INFO is of a redis-server (redis_mode:${first.fields.get('redis_mode') ?? '?'})`,
      'capture INFO from the Sentinel itself (redis-cli -p 26379 INFO everything), or name the files of the Redis node differently');
  }
  return Number(info[info.length - 1]!.fields.get('tcp_port') ?? SENTINEL_PORT);
}

function mostCommon(xs: readonly number[]): number {
  let best = xs[0]!;
  let bestCount = 0;
  for (const x of xs) {
    const count = xs.filter((y) => y === x).length;
    if (count > bestCount) [best, bestCount] = [x, count];
  }
  return best;
}
