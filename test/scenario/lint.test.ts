/**
 * Lint warnings: repl-timeout ≤ repl-ping-replica-period is accepted (Redis accepts it) but
 * warned about, located at the key that set it: on an idle link the master speaks only once
 * per ping period, so a replica whose repl-timeout is no longer than that times out between
 * pings (redis.conf's own warning). The replica's timeout against its master's period.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';

describe('lint: repl-timeout against repl-ping-replica-period', () => {
  it('warns once for a global setting, with file:line:col and the key', () => {
    const s = parseScenario('config:\n  repl-timeout: 5\nnodes:\n  m1: {}\n  r1: { replicaof: m1 }\n  r2: { replicaof: m1 }\n', 'x.yaml');
    expect(s.warnings).toEqual([
      'x.yaml:2:3 config.repl-timeout: repl-timeout 5 ≤ repl-ping-replica-period 10: Redis accepts it, but an idle link then times out between two pings and flaps\n' +
        '  hint: make repl-timeout larger than repl-ping-replica-period (Redis\'s defaults: 60 and 10)',
    ]);
  });

  it('reads the period on the master and the timeout on the replica', () => {
    const s = parseScenario('nodes:\n  m1: { config: { repl-ping-replica-period: 60 } }\n  r1: { replicaof: m1 }\n', 'y.yaml');
    expect(s.warnings?.[0]).toMatch(/^y\.yaml:2:19 nodes\.m1\.config\.repl-ping-replica-period: repl-timeout 60 ≤ repl-ping-replica-period 60 on r1/);
    // A master alone, or timeouts above the period, are fine.
    expect(parseScenario('config: { repl-timeout: 5 }\nnodes: { m1: {} }\n').warnings).toBeUndefined();
    expect(parseScenario('config: { repl-timeout: 11 }\nnodes: { m1: {}, r1: { replicaof: m1 } }\n').warnings).toBeUndefined();
  });
});
