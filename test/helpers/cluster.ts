/**
 * Builds a simulated cluster from a small YAML scenario (the same path `replsim run`
 * takes), so behaviour tests can step the virtual clock and look inside the servers.
 */
import { parseScenario } from '../../sim/scenario/load.js';
import { buildWorld, type World } from '../../sim/scenario/world.js';
import { ActionRunner } from '../../sim/scenario/actions.js';
import type { Action } from '../../sim/scenario/scenario.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';
import type { RedisServer } from '../../sim/redis/server.js';
import { sec } from '../../sim/engine/time.js';

export class TestCluster {
  readonly world: World;
  readonly actions: ActionRunner;

  constructor(yaml: string, seed = 'test') {
    const scenario = parseScenario(yaml, 'test.yaml');
    this.world = buildWorld(scenario, seed, 'all');
    this.actions = new ActionRunner(this.world);
  }

  node(name: string): RedisServer {
    const s = this.world.servers.get(name);
    if (!s) throw new Error(`no node ${name}`);
    return s;
  }

  get now(): number {
    return this.world.sim.now;
  }

  /** Advances the virtual clock to absolute time t (µs). */
  runUntil(t: number): void {
    this.world.sim.run({ until: t });
  }

  /** Advances by `seconds`. */
  runFor(seconds: number): void {
    this.runUntil(this.now + sec(seconds));
  }

  /** Sends one command from a client and returns the reply (after running the clock if it blocks). */
  cmd(node: string, ...argv: string[]): Reply {
    const s = this.node(node);
    let reply: Reply | null = null;
    // An internal session: no AUTH needed even under requirepass (auth tests open their own).
    s.commands.call(s.commands.newSession('test', true), argv, (r) => (reply = r));
    for (let i = 0; i < 10_000 && reply === null; i++) this.world.sim.run({ until: this.now + 1000 });
    if (reply === null) throw new Error(`no reply to ${argv.join(' ')}`);
    return reply;
  }

  text(node: string, ...argv: string[]): string {
    return formatReply(this.cmd(node, ...argv));
  }

  /** INFO field of a node (replication, stats, persistence sections). */
  info(node: string, field: string): string {
    const text = (this.cmd(node, 'INFO', 'everything') as { value: string }).value;
    for (const line of text.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0 && line.slice(0, i) === field) return line.slice(i + 1);
    }
    throw new Error(`no INFO field ${field} on ${node}`);
  }

  infoNum(node: string, field: string): number {
    return Number(this.info(node, field));
  }

  act(action: Action): void {
    this.actions.run(action);
  }

  traceKinds(kind: string, node?: string) {
    return this.world.sim.trace.records().filter((r) => r.kind === kind && (node === undefined || r.node === node));
  }
}
