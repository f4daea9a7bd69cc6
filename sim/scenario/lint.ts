/**
 * Warnings: settings Redis accepts that make a scenario behave badly, reported without
 * refusing the file (the scenario may be about exactly that). Each is located like an
 * error (file:line:col, field path) and printed by `run` and `validate` on stderr.
 *
 * - repl-timeout ≤ repl-ping-replica-period: on an idle link the master speaks only every
 *   ping period, so the replica's `repl-timeout` check fires between two pings and the link
 *   flaps (redis.conf: "make sure that this value is greater than the value specified for
 *   repl-ping-replica-period otherwise a timeout will be detected every time there is low
 *   traffic between the master and the replica").
 */
import { defaultRedisConfig, type RedisConfig } from '../redis/index.js';
import type { PathSegment } from './errors.js';
import type { Located } from './source.js';
import type { NodeSpec } from './scenario.js';

export function lintScenario(global: Partial<RedisConfig>, nodes: readonly NodeSpec[]): Located[] {
  const out: Located[] = [];
  const base = defaultRedisConfig();
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let globalWarned = false;
  for (const n of nodes) {
    if (n.replicaof === null) continue;
    // The replica times out (its repl-timeout); its master pings (the master's period).
    const master = byName.get(n.replicaof);
    const timeout = n.config.replTimeoutSec ?? global.replTimeoutSec ?? base.replTimeoutSec;
    const period = master?.config.replPingReplicaPeriodSec ?? global.replPingReplicaPeriodSec ?? base.replPingReplicaPeriodSec;
    if (timeout > period) continue;
    const ownTimeout = n.config.replTimeoutSec !== undefined;
    const ownPeriod = master?.config.replPingReplicaPeriodSec !== undefined;
    const own = ownTimeout || ownPeriod;
    if (!own && globalWarned) continue;
    if (!own) globalWarned = true;
    const where: PathSegment[] = ownTimeout ? ['nodes', n.name, 'config'] : ownPeriod ? ['nodes', master!.name, 'config'] : ['config'];
    const key = ownTimeout || (!ownPeriod && global.replTimeoutSec !== undefined) ? 'repl-timeout' : 'repl-ping-replica-period';
    out.push({
      path: [...where, key],
      message: `repl-timeout ${timeout} ≤ repl-ping-replica-period ${period}${own ? ` on ${n.name}` : ''}: Redis accepts it, but an idle link then times out between two pings and flaps`,
      hint: `make repl-timeout larger than repl-ping-replica-period (Redis's defaults: 60 and 10)`,
      onKey: true,
    });
  }
  return out;
}
