/**
 * Timeline actions: the faults and commands of a scenario, applied at their virtual time.
 * Faults are ordinary calls on the network and the servers (turmoil's style); each leaves a
 * `fault.*` trace record so timelines and reports can draw it.
 */
import type { Micros } from '../engine/index.js';
import { formatReply, type Reply } from '../redis/index.js';
import type { ClientSession } from '../redis/index.js';
import type { Action } from './scenario.js';
import type { World } from './world.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export interface CommandLog {
  at: number;
  node: string;
  command: string;
  reply: string;
  /** 1-based line of the step in the scenario file (0: not from a file). */
  line: number;
  /** The step had `reply:`, so whatever it got (an error too) is judged against that. */
  expected: boolean;
}

/** A timeline command that carried `reply:`: what it expected and what it got. */
export interface ReplyCheck {
  line: number;
  at: number;
  node: string;
  command: string;
  expected: string;
  actual: string | null;
}

export class ActionRunner {
  readonly replyChecks: ReplyCheck[] = [];
  private readonly sessions = new Map<string, ClientSession>();
  readonly commands: CommandLog[] = [];
  /** Clogs without an end, lifted by `heal: all`. */
  private openLatencies: Array<[string, string]> = [];
  private writeSeq = 0;

  constructor(private readonly world: World) {}

  /** The node's timeline connection, or a named client's own (`client:` on the step). */
  private session(node: string, client?: string): ClientSession {
    const key = client === undefined ? node : `${node}/${client}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = this.world.servers.get(node)!.commands.newSession(client ?? 'timeline');
      this.sessions.set(key, s);
    }
    return s;
  }

  /** A restarted process: its clients reconnect (new sessions) at their next step. */
  private forgetSessions(node: string): void {
    for (const key of [...this.sessions.keys()]) if (key === node || key.startsWith(`${node}/`)) this.sessions.delete(key);
  }

  private server(node: string) {
    return this.world.servers.get(node)!;
  }

  run(action: Action, line = 0): void {
    const w = this.world;
    const sim = w.sim;
    if ('node' in action && w.sentinels.has(action.node)) {
      this.runOnSentinel(action, line);
      return;
    }
    switch (action.kind) {
      case 'command':
        this.server(action.node).commands.call(this.session(action.node, action.client), [...action.argv], this.beginCommand(action, line).answered);
        return;
      case 'write': {
        const srv = this.server(action.node);
        const session = srv.commands.newSession('burst');
        session.db = action.db;
        const value = 'w'.repeat(action.valueSize);
        sim.record('fault.write-burst', action.node, { count: action.count, value_size: action.valueSize });
        // The harness sends the burst on a connection of its own and closes it after the last
        // reply: its client memory goes then (used-memory.ts).
        let left = action.count;
        for (let i = 0; i < action.count; i++) {
          srv.commands.call(session, ['SET', `${action.prefix}:${this.writeSeq++}`, value], () => {
            if (--left === 0) srv.memory.releaseSession(session);
          });
        }
        return;
      }
      case 'kill-link':
        sim.record('fault.kill-link', action.node, {});
        // The harness's own connection (internal: no AUTH under requirepass).
        {
          const srv = this.server(action.node);
          srv.commands.call(srv.commands.newSession('fault', true), ['CLIENT', 'KILL', 'TYPE', 'master'], () => {});
        }
        return;
      case 'partition':
        sim.record('fault.partition', undefined, { groups: action.groups.map((g) => g.join(',')).join(' | ') });
        w.net.partition(action.groups);
        return;
      case 'partition-one-way':
        sim.record('fault.partition-one-way', undefined, { from: action.from.join(','), to: action.to.join(',') });
        w.net.partitionOneWay(action.from, action.to);
        return;
      case 'heal':
        sim.record('fault.heal', undefined, {});
        w.net.healAll();
        for (const [a, b] of this.openLatencies) w.net.clog(a, b, 0, 0);
        this.openLatencies = [];
        return;
      case 'pause': {
        const srv = this.server(action.node);
        sim.record('fault.pause', action.node, { for_us: action.forUs ?? -1 });
        srv.freeze('sigstop');
        if (action.forUs !== null) {
          sim.after(action.forUs, () => {
            sim.record('fault.resume', action.node, {});
            srv.thaw('sigstop');
          });
        }
        return;
      }
      case 'resume':
        sim.record('fault.resume', action.node, {});
        this.server(action.node).thaw('sigstop');
        return;
      case 'crash':
        sim.record('fault.crash', action.node, {});
        this.server(action.node).crash();
        return;
      case 'power-loss':
        sim.record('fault.power-loss', action.node, {});
        this.server(action.node).powerLoss();
        return;
      case 'restart': {
        const srv = this.server(action.node);
        sim.record('fault.restart', action.node, {});
        if (!srv.alive) srv.boot();
        this.forgetSessions(action.node);
        return;
      }
      case 'latency': {
        const [a, b] = action.between;
        sim.record('fault.latency', undefined, { between: `${a},${b}`, add_us: action.addUs, for_us: action.forUs ?? -1 });
        w.net.clog(a, b, action.addUs, action.forUs ?? Number.MAX_SAFE_INTEGER - sim.now - 1);
        if (action.forUs === null) this.openLatencies.push([a, b]);
        return;
      }
      case 'disk': {
        const srv = this.server(action.node);
        if (action.full !== null) srv.diskFaults.full = action.full;
        if (action.failBgsaves !== null) srv.diskFaults.failBgsaves = action.failBgsaves;
        if (action.bytesPerSec !== null) srv.diskFaults.bytesPerSec = action.bytesPerSec;
        sim.record('fault.disk', action.node, { full: srv.diskFaults.full, fail_bgsaves: srv.diskFaults.failBgsaves, bytes_per_sec: srv.diskFaults.bytesPerSec ?? -1 });
        return;
      }
      case 'swizzle':
        this.swizzle(action.nodes, action.forUs, action.addUs);
        return;
      case 'clock': {
        const change: { skewMs?: number; jumpMs?: number; driftPpm?: number } = {};
        if (action.skewUs !== null) change.skewMs = Math.round(action.skewUs / 1000);
        if (action.jumpUs !== null) change.jumpMs = Math.round(action.jumpUs / 1000);
        if (action.driftPpm !== null) change.driftPpm = action.driftPpm;
        sim.record('fault.clock', action.node, {
          skew_us: action.skewUs ?? 0,
          jump_us: action.jumpUs ?? 0,
          drift_ppm: action.driftPpm ?? 0,
        });
        this.server(action.node).adjustClock(change);
        return;
      }
      case 'config-set':
        this.run({ kind: 'command', node: action.node, command: `CONFIG SET ${action.option} ${action.value}`, argv: ['CONFIG', 'SET', action.option, action.value] }, line);
        return;
    }
  }

  /**
   * A `command:` step starts, on a node or a Sentinel: recorded, its expected reply (if the
   * step names one) registered; `answered` takes the reply when it comes.
   */
  private beginCommand(action: Extract<Action, { kind: 'command' }>, line: number): { at: Micros; expected: boolean; answered: (reply: Reply) => void } {
    const sim = this.world.sim;
    sim.record('client.command', action.node, { command: action.command });
    const at = sim.now;
    let check: ReplyCheck | null = null;
    if (action.expectReply !== undefined) {
      check = { line, at, node: action.node, command: action.command, expected: action.expectReply, actual: null };
      this.replyChecks.push(check);
    }
    const answered = (reply: Reply): void => {
      const text = formatReply(reply);
      if (check) check.actual = text;
      this.commands.push({ at, node: action.node, command: action.command, reply: text, line, expected: check !== null });
      sim.record('client.reply', action.node, { command: action.command, reply: text });
    };
    return { at, expected: check !== null, answered };
  }

  /**
   * A fault or a command aimed at a Sentinel: the same verbs as for a Redis node (a crash
   * keeps its config file, a restart reads it back), commands through its command table.
   */
  private runOnSentinel(action: Extract<Action, { node: string }>, line: number): void {
    const sim = this.world.sim;
    const s = this.world.sentinels.get(action.node)!;
    switch (action.kind) {
      case 'command': {
        const step = this.beginCommand(action, line);
        if (!s.alive) {
          // Nobody listens: redis-cli would say "Could not connect"; the step gets no reply.
          this.commands.push({ at: step.at, node: action.node, command: action.command, reply: '(error) Could not connect: Sentinel is down', line, expected: step.expected });
          return;
        }
        s.sentinelCall([...action.argv], step.answered);
        return;
      }
      case 'pause':
        sim.record('fault.pause', action.node, { for_us: action.forUs ?? -1 });
        s.pause();
        if (action.forUs !== null) {
          sim.after(action.forUs, () => {
            sim.record('fault.resume', action.node, {});
            s.resume();
          });
        }
        return;
      case 'resume':
        sim.record('fault.resume', action.node, {});
        s.resume();
        return;
      case 'crash':
      case 'power-loss':
        // A Sentinel fsyncs its config at every change (sentinelFlushConfig): power loss is a crash.
        sim.record(`fault.${action.kind}`, action.node, {});
        s.crash();
        return;
      case 'restart':
        sim.record('fault.restart', action.node, {});
        if (!s.alive) s.boot();
        return;
      case 'clock': {
        const change: { skewMs?: number; jumpMs?: number; driftPpm?: number } = {};
        if (action.skewUs !== null) change.skewMs = Math.round(action.skewUs / 1000);
        if (action.jumpUs !== null) change.jumpMs = Math.round(action.jumpUs / 1000);
        if (action.driftPpm !== null) change.driftPpm = action.driftPpm;
        sim.record('fault.clock', action.node, { skew_us: action.skewUs ?? 0, jump_us: action.jumpUs ?? 0, drift_ppm: action.driftPpm ?? 0 });
        s.adjustClock(change);
        return;
      }
      default:
        // The loader only lets the actions above name a Sentinel.
        throw new Error(`${action.kind} does not apply to Sentinel ${action.node}`);
    }
  }

  /**
   * FoundationDB's swizzle-clogging: a random subset of the links is clogged one by one over
   * the first half of the period, then unclogged in a fresh random order over the second.
   */
  private swizzle(nodes: readonly string[], forUs: number, addUs: number): void {
    const w = this.world;
    const rng = w.sim.random.stream('faults/swizzle');
    const links: Array<[string, string]> = [];
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) links.push([nodes[i]!, nodes[j]!]);
    let chosen = links.filter(() => rng.bernoulli(0.5));
    if (chosen.length === 0) chosen = [rng.choice(links)];
    rng.shuffle(chosen);
    const unclogOrder = rng.shuffle([...chosen]);
    const half = Math.floor(forUs / 2);
    const step = Math.floor(half / chosen.length);
    w.sim.record('fault.swizzle', undefined, { links: chosen.map(([a, b]) => `${a}-${b}`).join(' '), for_us: forUs, add_us: addUs });
    const endUs = w.sim.now + forUs;
    chosen.forEach(([a, b], k) => {
      w.sim.after(k * step, () => w.net.clog(a, b, addUs, Math.max(0, endUs - w.sim.now)));
    });
    unclogOrder.forEach(([a, b], k) => {
      w.sim.after(half + k * step, () => w.net.clog(a, b, 0, 0));
    });
  }
}
