/**
 * A scenario node's redis.conf options → redis-server command-line arguments, in
 * redis.conf form (`--repl-backlog-size 1mb`, `--save ""`, `--client-output-buffer-limit
 * replica 256mb 64mb 60`). Top-level `config:` first, the node's own options over it.
 *
 * Differences from passing the scenario through as is:
 * - `port` is the harness's free port, not the scenario's (the scenario's port is only a
 *   name: `REPLICAOF r1 6379` is rewritten to r1's proxy).
 * - `replicaof` points at the fault proxy for that (replica, master) pair.
 * - `active-expire` is replsim's pseudo option: `no` becomes `DEBUG SET-ACTIVE-EXPIRE 0`
 *   after start (see activeExpireDisabled).
 * - `save ""` and `appendonly no` unless the scenario sets them, as replsim's defaults do
 *   (world.ts scenarioBaseConfig), so a scenario means the same thing in both worlds.
 * - DEBUG is enabled (7.0 refuses it by default): the harness needs DEBUG POPULATE,
 *   DEBUG DIGEST and DEBUG SET-ACTIVE-EXPIRE.
 */
import { lookupRedisOption } from '../redis/index.js';
import type { NodeSpec, Scenario } from '../scenario/scenario.js';

/** Options the harness sets itself or that are not redis.conf options. */
const NOT_PASSED = new Set(['port', 'replicaof', 'active-expire']);

/** Multi-word values become separate arguments, as redis.conf would split them. */
const MULTI_ARG = new Set(['save', 'client-output-buffer-limit']);

/** Effective options of a node as redis.conf text: canonical name → value. */
export function effectiveConfigText(scenario: Scenario, node: NodeSpec): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of [scenario.configText, node.configText]) {
    for (const [name, value] of Object.entries(text)) out.set(lookupRedisOption(name)?.name ?? name, value);
  }
  return out;
}

export function redisArgs(scenario: Scenario, node: NodeSpec, replicaofPort: number | null): string[] {
  const conf = effectiveConfigText(scenario, node);
  const args: string[] = [];
  for (const [name, value] of conf) {
    if (NOT_PASSED.has(name)) continue;
    args.push(`--${name}`);
    if (MULTI_ARG.has(name) && value.trim() !== '') args.push(...value.trim().split(/\s+/));
    else args.push(value);
  }
  if (!conf.has('save')) args.push('--save', '');
  if (!conf.has('appendonly')) args.push('--appendonly', 'no');
  args.push('--enable-debug-command', 'yes');
  if (replicaofPort !== null) args.push('--replicaof', '127.0.0.1', String(replicaofPort));
  return args;
}

/** The scenario's `active-expire: no` (DEBUG SET-ACTIVE-EXPIRE 0 at start). */
export function activeExpireDisabled(scenario: Scenario, node: NodeSpec): boolean {
  return effectiveConfigText(scenario, node).get('active-expire')?.toLowerCase() === 'no';
}

/** The port the scenario gives a node (what `REPLICAOF node <port>` must name). */
export function scenarioPort(scenario: Scenario, node: NodeSpec): number {
  const text = effectiveConfigText(scenario, node).get('port');
  return text === undefined ? 6379 : Number(text);
}
