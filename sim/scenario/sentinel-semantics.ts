/**
 * `sentinels:` + `sentinel:` → one SentinelConfig per Sentinel (what its sentinel.conf would
 * hold: `sentinel monitor <name> <host> <port> <quorum>`, the per-master options, the global
 * ones, SENTINEL DEBUG timings), and `sentinel-client:` workload items → SentinelClientSpecs,
 * with the checks that need the whole file: the monitored node exists and is a Redis node,
 * quorum ≤ number of Sentinels, master names known, Sentinel names distinct from node names.
 */
import { sec, US_PER_MS } from '../engine/index.js';
import {
  defaultSentinelTimings,
  monitoredMaster,
  SENTINEL_DEBUG_PARAMS,
  SENTINEL_DEFAULT_PORT,
  type SentinelConfig,
  type SentinelMasterConfig,
  type SentinelTimings,
} from '../sentinel/index.js';
import type { CheckContext } from './check-context.js';
import type { PathSegment } from './errors.js';
import type { ScenarioInput } from './schema.js';
import type { NodeSpec, SentinelClientSpec, SentinelSpec } from './scenario.js';

type SentinelOptions = Omit<NonNullable<ScenarioInput['sentinel']>, 'monitor'>;
type Monitor = { name: string; master: string; quorum: number };

/** Defaults of a Sentinel-aware client (scenarios/FORMAT.md lists them). */
export const DEFAULT_CLIENT_RETRY_DELAY_US = 200 * US_PER_MS;
export const DEFAULT_CLIENT_CONNECT_TIMEOUT_US = 300 * US_PER_MS;
export const DEFAULT_CLIENT_TIMEOUT_US = sec(1);
export const DEFAULT_CLIENT_KEY_PREFIX = 'sc';

/** Registers the Sentinel and master names on `cx` and returns the Sentinels. */
export function buildSentinels(cx: CheckContext, input: ScenarioInput, nodes: readonly NodeSpec[], globalPort: number | undefined): SentinelSpec[] {
  const declared = Object.entries(input.sentinels ?? {});
  const section = input.sentinel;
  if (declared.length === 0) {
    if (section !== undefined) cx.fail(['sentinel'], 'a sentinel: section but no Sentinels', 'declare them: sentinels: { s1: {}, s2: {}, s3: {} }');
    return [];
  }
  if (section === undefined) {
    cx.fail(['sentinels'], 'Sentinels without a sentinel: section: they monitor nothing',
      'add sentinel: { monitor: { name: mymaster, master: m1, quorum: 2 } }');
    return [];
  }
  for (const [name] of declared) {
    if (cx.nodeNames.includes(name)) cx.fail(['sentinels', name], `"${name}" is already a node name`, 'a Sentinel runs on a host of its own: give it another name', true);
    else cx.sentinelNames.push(name);
  }
  const monitors: Array<[Monitor, PathSegment[]]> = Array.isArray(section.monitor)
    ? section.monitor.map((m, i) => [m, ['sentinel', 'monitor', i]])
    : [[section.monitor, ['sentinel', 'monitor']]];
  for (const [m, path] of monitors) {
    if (cx.masterNames.includes(m.name)) cx.fail([...path, 'name'], `master name "${m.name}" is monitored twice`, 'SENTINEL MONITOR answers "Duplicate master name."');
    cx.masterNames.push(m.name);
    if (cx.sentinelNames.includes(m.master)) cx.fail([...path, 'master'], `"${m.master}" is a Sentinel; a Sentinel monitors a Redis node`);
    else cx.node([...path, 'master'], m.master);
    // Redis accepts it, but such a master can never be ODOWN: issue 13 asks for an error.
    if (m.quorum > declared.length) {
      cx.fail([...path, 'quorum'], `quorum ${m.quorum} > ${declared.length} Sentinels: the master could never be objectively down, so it would never fail over`,
        `lower quorum to at most ${declared.length}, or declare more Sentinels`);
    }
  }
  const { monitor: _monitor, ...shared } = section;
  return declared.map(([name, spec]) => {
    const own = spec?.config ?? {};
    const port = spec?.port ?? SENTINEL_DEFAULT_PORT;
    const masters = monitors.map(([m]) => monitoredAt(m, nodes, globalPort));
    return { name, config: sentinelConfig(port, masters, shared, own), optionsText: optionsText(shared, own) };
  });
}

function monitoredAt(m: Monitor, nodes: readonly NodeSpec[], globalPort: number | undefined): Monitor & { port: number } {
  const node = nodes.find((n) => n.name === m.master);
  return { ...m, port: node?.config.port ?? globalPort ?? 6379 };
}

/** The section's options, then the Sentinel's own over them, as sentinelHandleConfiguration would apply them. */
function sentinelConfig(port: number, monitors: ReadonlyArray<Monitor & { port: number }>, shared: SentinelOptions, own: SentinelOptions): SentinelConfig {
  const o: SentinelOptions = { ...shared, ...own, debug: { ...shared.debug, ...own.debug } };
  const timings: SentinelTimings = defaultSentinelTimings();
  for (const [param, field] of SENTINEL_DEBUG_PARAMS) {
    const v = o.debug?.[param];
    if (v !== undefined) timings[field] = v;
  }
  const masters = monitors.map((m): SentinelMasterConfig => {
    const c = monitoredMaster(m.name, m.master, m.port, m.quorum, timings);
    if (o['down-after-milliseconds'] !== undefined) c.downAfterMs = o['down-after-milliseconds'];
    if (o['failover-timeout'] !== undefined) c.failoverTimeoutMs = o['failover-timeout'];
    if (o['parallel-syncs'] !== undefined) c.parallelSyncs = o['parallel-syncs'];
    if (o['auth-pass'] !== undefined) c.authPass = o['auth-pass'];
    if (o['auth-user'] !== undefined) c.authUser = o['auth-user'];
    if (o['master-reboot-down-after-period'] !== undefined) c.masterRebootDownAfterPeriodMs = o['master-reboot-down-after-period'];
    return c;
  });
  const config: SentinelConfig = { port, currentEpoch: 0, masters, timings };
  if (o['announce-ip'] !== undefined) config.announceIp = o['announce-ip'];
  if (o['announce-port'] !== undefined) config.announcePort = o['announce-port'];
  if (o['sentinel-user'] !== undefined) config.sentinelUser = o['sentinel-user'];
  if (o['sentinel-pass'] !== undefined) config.sentinelPass = o['sentinel-pass'];
  return config;
}

function optionsText(shared: SentinelOptions, own: SentinelOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of [shared, own]) {
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue;
      if (k === 'debug') {
        for (const [p, ms] of Object.entries(v as Record<string, number | undefined>)) if (ms !== undefined) out[`debug.${p}`] = String(ms);
      } else {
        out[k] = k === 'auth-pass' || k === 'sentinel-pass' ? '******' : String(v);
      }
    }
  }
  return out;
}

type ClientInput = Extract<NonNullable<ScenarioInput['workload']>, { 'sentinel-client': unknown }>['sentinel-client'];

/** A `sentinel-client:` item; `index` numbers the clients for their default host names (client1, …). */
export function buildSentinelClient(cx: CheckContext, path: PathSegment[], c: ClientInput, index: number): SentinelClientSpec {
  const p: PathSegment[] = [...path, 'sentinel-client'];
  if (cx.sentinelNames.length === 0) cx.fail(p, 'a Sentinel-aware client needs Sentinels', 'declare them: sentinels: { s1: {}, s2: {}, s3: {} }');
  const sentinels = c.sentinels === undefined ? [...cx.sentinelNames] : c.sentinels.map((s, i) => cx.sentinel([...p, 'sentinels', i], s));
  if (c.first !== undefined) {
    cx.sentinel([...p, 'first'], c.first);
    const at = sentinels.indexOf(c.first);
    if (at < 0 && cx.sentinelNames.includes(c.first)) cx.fail([...p, 'first'], `"${c.first}" is not in sentinels: [${sentinels.join(', ')}]`);
    // The client asks in list order, so `first` rotates the list to start with it.
    if (at > 0) sentinels.push(...sentinels.splice(0, at));
  }
  const master = cx.masterName(p, c.master);
  const host = c.host ?? `client${index + 1}`;
  if (c.host !== undefined && (cx.nodeNames.includes(host) || cx.sentinelNames.includes(host) || cx.clientHosts.includes(host))) {
    cx.fail([...p, 'host'], `host "${host}" is already taken`, 'each client runs on a host of its own: give it another name');
  }
  cx.clientHosts.push(host);
  const fromUs = cx.withinDuration([...p, 'from'], c.from ?? 0);
  const untilUs = cx.withinDuration([...p, 'until'], c.until ?? cx.durationUs);
  if (fromUs >= untilUs && untilUs <= cx.durationUs) cx.fail([...p, 'until'], 'the window is empty', 'until must be later than from');
  if (c.rate <= 0) cx.fail([...p, 'rate'], 'expected a rate > 0');
  return {
    host,
    sentinels,
    master,
    rateHz: c.rate,
    fromUs,
    untilUs,
    roleCheck: c['role-check'] ?? true,
    retryDelayUs: c['retry-delay'] ?? DEFAULT_CLIENT_RETRY_DELAY_US,
    connectTimeoutUs: c['connect-timeout'] ?? DEFAULT_CLIENT_CONNECT_TIMEOUT_US,
    timeoutUs: c.timeout ?? DEFAULT_CLIENT_TIMEOUT_US,
    subscribe: c.subscribe ?? false,
    keyPrefix: c['key-prefix'] ?? (index === 0 ? DEFAULT_CLIENT_KEY_PREFIX : `${DEFAULT_CLIENT_KEY_PREFIX}${index + 1}`),
    db: cx.db([...p, 'db'], c.db ?? 0),
  };
}
