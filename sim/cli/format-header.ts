/**
 * The header printed before a run: the scenario and every derived option that matters,
 * seed first, so a seed plus this header is a readable configuration (docs/layers.md, "Determinism": TigerBeetle's VOPR habit).
 */
import type { ChalkInstance } from 'chalk';
import { formatMicros } from '../engine/index.js';
import { formatConfigValue, lookupRedisOption } from '../redis/index.js';
import { scenarioBaseConfig } from '../scenario/defaults.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatBandwidth, formatBytes, formatLatency, formatRate } from './format-units.js';

/** Options that shape replication behaviour, shown with their effective value on every run. */
const KEY_OPTIONS = [
  'repl-backlog-size', 'repl-backlog-ttl', 'repl-timeout', 'repl-ping-replica-period', 'repl-diskless-sync',
  'repl-diskless-sync-delay', 'repl-diskless-load', 'client-output-buffer-limit', 'min-replicas-to-write',
  'appendonly', 'save', 'maxmemory', 'maxmemory-policy',
];
const SIZE_OPTIONS = new Set(['repl-backlog-size', 'maxmemory', 'client-output-buffer-limit']);

export type SeedSource = 'flag' | 'file' | 'fresh';

/** `name value` as written in the file, else the default in redis.conf spelling. */
export function configDisplay(option: string, text: Record<string, string>, config: Scenario['config']): string {
  const written = text[option];
  if (written !== undefined) return written === '' ? '""' : written;
  // Gaps are filled with replsim's scenario defaults (save ""), not redis.conf's.
  const v = formatConfigValue(option, { ...scenarioBaseConfig(), ...config }) ?? '';
  if (v === '') return '""';
  return SIZE_OPTIONS.has(option) ? v.replace(/\b\d{4,}\b/g, (d) => formatBytes(Number(d))) : v;
}

export function formatHeader(s: Scenario, seed: string, seedSource: SeedSource, c: ChalkInstance): string {
  const lines: string[] = [];
  const label = (l: string): string => c.dim(l.padEnd(9));
  const description = s.description.trim().replace(/\s*\n\s*/g, ' ');
  lines.push(`${c.bold(s.name)}${description ? ` — ${description}` : ''}`);
  if (s.file) lines.push(`${label('file')}${s.file}`);
  const from = seedSource === 'flag' ? '--seed' : seedSource === 'file' ? 'the file' : 'fresh';
  lines.push(`${label('seed')}${c.bold(seed)} (${from})   ${c.dim('duration')} ${formatMicros(s.durationUs)}`);

  const nodes = s.nodes.map((n) => {
    const role = n.replicaof === null ? 'master' : `replica of ${n.replicaof}`;
    const own = Object.entries(n.configText).map(([k, v]) => `${k} ${v === '' ? '""' : v}`);
    return `${c.bold(n.name)} ${role}${own.length > 0 ? ` (${own.join(', ')})` : ''}`;
  });
  lines.push(`${label('nodes')}${nodes.join('; ')}`);
  const sentinels = s.sentinels ?? [];
  if (sentinels.length > 0) {
    // The options as written; per-Sentinel ones are shown after that Sentinel's name.
    const shared = sentinels.every((x) => JSON.stringify(x.optionsText) === JSON.stringify(sentinels[0]!.optionsText));
    const opts = (t: Record<string, string>): string => Object.entries(t).map(([k, v]) => `${k} ${v}`).join(', ');
    const names = sentinels.map((x) => `${c.bold(x.name)}${x.config.port !== 26379 ? `:${x.config.port}` : ''}${shared || Object.keys(x.optionsText).length === 0 ? '' : ` (${opts(x.optionsText)})`}`);
    const monitors = sentinels[0]!.config.masters.map((m) => `monitor ${m.name} ${m.host}:${m.port} quorum ${m.quorum}`);
    const common = shared && Object.keys(sentinels[0]!.optionsText).length > 0 ? `; ${opts(sentinels[0]!.optionsText)}` : '';
    lines.push(`${label('sentinel')}${names.join(', ')} ${monitors.join(', ')}${common}`);
  }
  for (const k of s.sentinelClients ?? []) {
    lines.push(`${label('client')}${c.bold(k.host)} asks ${k.sentinels.join(', ')} for ${k.master}, ${k.rateHz}/s, role-check ${k.roleCheck ? 'yes' : 'no'}${k.subscribe ? ', +switch-master' : ''}`);
  }

  const config = KEY_OPTIONS.map((o) => {
    const name = lookupRedisOption(o)?.name ?? o;
    const text = `${name} ${configDisplay(name, s.configText, s.config)}`;
    return s.configText[name] !== undefined ? c.bold(text) : text;
  });
  const extra = Object.keys(s.configText).filter((k) => !KEY_OPTIONS.includes(k)).map((k) => c.bold(`${k} ${configDisplay(k, s.configText, s.config)}`));
  lines.push(`${label('config')}${[...config, ...extra].join(', ')}`);

  const links = s.network.links.map((l) => {
    const parts = [l.latency ? formatLatency(l.latency) : null, l.bandwidthBytesPerSec !== undefined ? formatBandwidth(l.bandwidthBytesPerSec) : null];
    return `${l.between[0]}↔${l.between[1]} ${parts.filter((p) => p !== null).join(' ')}`;
  });
  lines.push(`${label('network')}latency ${formatLatency(s.network.latency)}, bandwidth ${formatBandwidth(s.network.bandwidthBytesPerSec)}` +
    (links.length > 0 ? `; ${links.join('; ')}` : ''));

  for (const d of s.dataset) {
    const values = d.values === 'populate' ? '' : `, values ${typeof d.values === 'string' ? d.values : `compress to ${d.values.ratio}`}`;
    lines.push(`${label('dataset')}${d.node}: ${d.keys} keys "${d.prefix}:N" × ${formatBytes(d.valueSize)}${d.db !== 0 ? ` in db ${d.db}` : ''}${values}`);
  }
  for (const w of s.workload) {
    const ops = Object.entries(w.ops).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${Math.round(v * 1000) / 10}%`).join(' ');
    lines.push(`${label('workload')}${w.node}: ${formatRate(w.rateHz)} from ${w.fromUs === 0 ? '0s' : formatMicros(w.fromUs)} until ${formatMicros(w.untilUs)}, ` +
      `${w.keys} keys "${w.keyPrefix}:N" × ${formatBytes(w.valueSize)}, ${ops}${w.ttlUs !== undefined ? `, ttl ${formatMicros(w.ttlUs)}` : ''}`);
  }
  lines.push(`${label('plan')}${s.timeline.length} timeline steps, ${s.expect.length} expectations`);
  return lines.map((l) => `${l}\n`).join('');
}
