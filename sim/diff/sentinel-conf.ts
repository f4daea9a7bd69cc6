/**
 * A scenario Sentinel → the sentinel.conf a real redis-sentinel 7.0.15 starts from, and the
 * SENTINEL DEBUG arguments for the timings a config file cannot hold.
 *
 * Addresses are the fault proxies' (real-cluster.ts): the monitored master is named by the
 * front proxy of its node, and the Sentinel announces its own front proxy in its hellos
 * (`sentinel announce-ip/announce-port`), so every connection a Sentinel makes — to the
 * master, to the replicas it discovers, to the Sentinels it learns from hellos — passes a
 * proxy that knows who dials whom. The options are sentinel.conf's own directives, applied
 * by sentinelHandleConfiguration in the file's order after the `monitor` line.
 */
import type { SentinelMasterConfig, SentinelTimings } from '../sentinel/index.js';
import { defaultSentinelTimings, SENTINEL_DEBUG_PARAMS } from '../sentinel/index.js';
import type { SentinelSpec } from '../scenario/scenario.js';

export interface SentinelAddresses {
  /** Where this Sentinel's front proxy listens (what it announces). */
  announcePort: number;
  /** The front proxy of a node: what `monitor` names. */
  frontPortOf(node: string): number;
}

export function sentinelConfText(spec: SentinelSpec, addr: SentinelAddresses): string {
  const c = spec.config;
  const lines = [
    'sentinel announce-ip 127.0.0.1',
    `sentinel announce-port ${addr.announcePort}`,
  ];
  if (c.sentinelUser !== undefined) lines.push(`sentinel sentinel-user ${c.sentinelUser}`);
  if (c.sentinelPass !== undefined) lines.push(`sentinel sentinel-pass ${c.sentinelPass}`);
  for (const m of c.masters) lines.push(...masterLines(m, addr.frontPortOf(m.host)));
  return `${lines.join('\n')}\n`;
}

function masterLines(m: SentinelMasterConfig, port: number): string[] {
  const out = [
    `sentinel monitor ${m.name} 127.0.0.1 ${port} ${m.quorum}`,
    `sentinel down-after-milliseconds ${m.name} ${m.downAfterMs}`,
    `sentinel failover-timeout ${m.name} ${m.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${m.name} ${m.parallelSyncs}`,
  ];
  if (m.masterRebootDownAfterPeriodMs !== 0) out.push(`sentinel master-reboot-down-after-period ${m.name} ${m.masterRebootDownAfterPeriodMs}`);
  if (m.authUser !== undefined) out.push(`sentinel auth-user ${m.name} ${m.authUser}`);
  if (m.authPass !== undefined) out.push(`sentinel auth-pass ${m.name} ${m.authPass}`);
  return out;
}

/** `SENTINEL DEBUG <param> <ms> …` for the timings that differ from sentinel.c's, or null. */
export function sentinelDebugArgv(timings: SentinelTimings): string[] | null {
  const defaults = defaultSentinelTimings();
  const args: string[] = [];
  for (const [name, key] of SENTINEL_DEBUG_PARAMS) if (timings[key] !== defaults[key]) args.push(name, String(timings[key]));
  return args.length === 0 ? null : ['SENTINEL', 'DEBUG', ...args];
}
