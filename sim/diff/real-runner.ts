/**
 * Runs a scenario against real redis-server processes, in real time: the same nodes and
 * redis.conf options, the dataset through DEBUG POPULATE, the workload from the very same
 * open-loop client class and seeded random stream as the simulator (so the command
 * sequence is identical), the timeline at its `at` offsets from a common start, faults
 * through the fault proxies and signals. Then it collects INFO, DBSIZE and DEBUG DIGEST
 * from every node and evaluates the scenario's `expect:` against that real final state.
 *
 * Time 0 is when the proxies open, after every process answers and the dataset is loaded
 * (the model loads it "before time 0"); until then the proxies hold the replicas' first
 * connections, so no replica syncs a half-populated master. The real servers' 1 Hz
 * replicationCron therefore ticks up to setupMs (typically 50–200 ms) before the model's:
 * scenarios keep their events away from whole seconds, and their workload starts a few
 * hundred ms in, after the first sync, so timing never decides what is compared.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomStreams } from '../engine/index.js';
import type { Simulator } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import { formatReply, type Reply } from '../redis/index.js';
import type { RedisServer } from '../redis/index.js';
import { evaluateExpectations, replyCommands } from '../scenario/expect.js';
import type { Convergence, ExpectationResult, FinalReply, NodeReport } from '../scenario/result.js';
import type { Action, Scenario } from '../scenario/scenario.js';
import { OpenLoopClient, type WorkloadCounters } from '../workload/index.js';
import { NodeSession } from './node-session.js';
import { RealCluster } from './real-cluster.js';
import { downReport, realConvergence, realNodeReport, type RawNodeState } from './real-final-state.js';
import { RealTimeScheduler } from './real-time-scheduler.js';
import { RespClient } from './resp-client.js';
import { readSentinelFinal, SentinelWatch, type RealSentinelFinal, type SentinelEventRecord } from './sentinel-watch.js';

export interface RealRunOptions {
  /** Path of redis-server. */
  redisServer: string;
  /** Path of redis-sentinel (scenarios with `sentinels:`). */
  redisSentinel?: string;
  /** The seed of the workload's random streams (the simulator's seed, so both send the same commands). */
  seed: string;
  /** Copy each node's redis.log (and the proxy log) here at the end. */
  keepLogsDir?: string;
  /** Aborting stops the run at once; processes are still stopped and the temp dir removed. */
  signal?: AbortSignal;
  /** Called with a line for each step as it happens (progress). */
  onEvent?: (e: RealEvent) => void;
}

export interface RealEvent {
  /** When it happened, µs since time 0 (real time). */
  atUs: Micros;
  /** When the scenario said it should (null for things the harness did on its own). */
  plannedUs: Micros | null;
  node: string | null;
  text: string;
}

export interface RealCommand {
  at: Micros;
  line: number;
  node: string;
  command: string;
  /** redis-cli rendering; "(no reply)" if none came before the end. */
  reply: string;
}

export interface RealRunResult {
  redisVersion: string;
  nodes: Record<string, NodeReport>;
  convergence: Convergence;
  replies: FinalReply[];
  commands: RealCommand[];
  expectations: ExpectationResult[];
  events: RealEvent[];
  workload: WorkloadCounters[];
  timings: {
    /** Spawn → every node answering, dataset loaded, proxies open. */
    setupMs: number;
    /** The latest any step ran after its planned time. */
    maxLateMs: number;
    collectMs: number;
  };
  /** Things the reader should know (a node resumed for collection, …). */
  notes: string[];
  /** With `sentinels:`: every event each Sentinel published, and each one's final view. */
  sentinels?: {
    events: SentinelEventRecord[];
    finals: Record<string, RealSentinelFinal>;
    /** When every Sentinel was up and subscribed (µs after time 0; replsim's boot at 0). */
    startedUs: Micros;
    /** `127.0.0.1:port` (a front proxy or a process's own port) → the node or Sentinel there. */
    addresses: Record<string, string>;
    /** Each Sentinel's run id (SENTINEL MYID at its start) → its name. */
    ids: Record<string, string>;
  };
}

export const NO_REPLY = '(no reply)';
/** Longest wait for a node's final INFO/DIGEST. */
// DEBUG DIGEST walks every key: ~0.5 s per million on this machine, for each node at once.
const COLLECT_TIMEOUT_MS = 60_000;

export async function runReal(scenario: Scenario, opts: RealRunOptions): Promise<RealRunResult> {
  const root = mkdtempSync(join(tmpdir(), 'replsim-diff-'));
  const cluster = new RealCluster(scenario, opts.redisServer, root);
  if (opts.redisSentinel !== undefined) cluster.sentinelBinary = opts.redisSentinel;
  let watch: SentinelWatch | null = null;
  const events: RealEvent[] = [];
  const notes: string[] = [];
  const sessions: NodeSession[] = [];
  let scheduler: RealTimeScheduler | null = null;
  const log = (e: RealEvent): void => {
    events.push(e);
    opts.onEvent?.(e);
  };
  try {
    await cluster.prepare();
    // Closed until the dataset is in: every link holds the replicas' first bytes.
    const everyone = scenario.nodes.map((n) => n.name);
    cluster.policy.gated = true;
    const spawnMs = performance.now();
    await Promise.all(everyone.map((n) => cluster.start(n)));
    for (const d of scenario.dataset) {
      const c = await cluster.node(d.node).connectInternal();
      try {
        const [sel, pop] = await Promise.all(c.pipeline([['SELECT', String(d.db)], ['DEBUG', 'POPULATE', String(d.keys), d.prefix, String(d.valueSize)]]));
        for (const r of [sel, pop]) if (r!.type === 'error') throw new Error(`${d.node}: DEBUG POPULATE failed: ${(r as { text: string }).text}`);
      } finally {
        c.close();
      }
    }
    cluster.policy.gated = false;
    const startMs = performance.now();
    const setupMs = startMs - spawnMs;
    scheduler = new RealTimeScheduler(startMs);
    const sched = scheduler;
    cluster.updateLinks();
    log({ atUs: sched.now, plannedUs: 0, node: null, text: `${everyone.length} redis-server processes up${scenario.dataset.length ? ', dataset loaded' : ''}` });

    for (const n of cluster.nodes.values()) {
      n.process.onUnexpectedExit = (why) => log({ atUs: sched.now, plannedUs: null, node: n.name, text: `redis-server ${why}` });
    }
    let sentinelsStartedUs = 0;
    if ((scenario.sentinelClients ?? []).length > 0) {
      notes.push('sentinel-client workloads run in replsim only: the real side has no Sentinel-aware client (their writes are not in the real data)');
    }
    if (cluster.sentinelMode) {
      // The Sentinels boot at time 0, as replsim's do: started before, their timers would
      // run against links the start-up gate still holds.
      const w = new SentinelWatch(() => sched.now);
      watch = w;
      await Promise.all([...cluster.sentinels.values()].map((s) => cluster.startSentinel(s.name).then(() => w.subscribe(s))));
      sentinelsStartedUs = sched.now;
      log({ atUs: sched.now, plannedUs: 0, node: null, text: `${cluster.sentinels.size} redis-sentinel processes up, subscribed to their events` });
    }
    const actions = new RealActions(cluster, sched, log, sessions, (name) => {
      const s = cluster.sentinels.get(name);
      if (s && watch) void watch.subscribe(s).catch((e: unknown) => log({ atUs: sched.now, plannedUs: null, node: name, text: `PSUBSCRIBE failed: ${(e as Error).message}` }));
    });
    for (const step of scenario.timeline) sched.at(step.atUs, () => actions.run(step.action, step.line, step.atUs));
    const counters = startWorkload(scenario, opts.seed, cluster, sched, sessions);

    await sched.sleepUntil(scenario.durationUs, opts.signal);
    sched.stop();
    const maxLateMs = sched.maxLateUs / 1000;

    const collectStart = performance.now();
    for (const n of [...cluster.nodes.values(), ...cluster.sentinels.values()]) {
      if (n.running && n.process.stopped) {
        n.process.signal('SIGCONT');
        notes.push(`${n.name} was still paused at the end; it was resumed (SIGCONT) to read its final state`);
      }
    }
    const nodes: Record<string, NodeReport> = {};
    const raws = await Promise.all(scenario.nodes.map((s) => collect(cluster, s.name)));
    scenario.nodes.forEach((s, i) => {
      const raw = raws[i];
      nodes[s.name] = raw ? realNodeReport(raw, cluster) : downReport();
      if (raw === undefined && cluster.node(s.name).running) notes.push(`${s.name} did not answer INFO within ${COLLECT_TIMEOUT_MS} ms; reported as down`);
    });
    const replies: FinalReply[] = [];
    for (const { node, argv } of replyCommands(scenario.expect)) {
      const target = cluster.node(node);
      const r = await new NodeSession(target, 0, target.password).call(await cluster.rewriteCommand(node, argv));
      replies.push({ node, argv, reply: formatReply(r) });
    }
    let sentinels: RealRunResult['sentinels'];
    if (watch !== null) {
      const w = watch;
      const masters = sentinelMasterNames(scenario);
      const list = [...cluster.sentinels.values()];
      const finals = await Promise.all(list.map((s) => readSentinelFinal(s, masters, cluster, w.events)));
      w.close();
      const addresses: Record<string, string> = {};
      for (const [name, p] of cluster.fronts) addresses[`127.0.0.1:${p.port}`] = name;
      for (const n of [...cluster.nodes.values(), ...cluster.sentinels.values()]) addresses[`127.0.0.1:${n.port}`] = n.name;
      sentinels = { events: w.events, finals: Object.fromEntries(list.map((s, i) => [s.name, finals[i]!])), startedUs: sentinelsStartedUs, addresses, ids: Object.fromEntries(w.ids) };
    }
    const collectMs = performance.now() - collectStart;
    const convergence = realConvergence(nodes);
    return {
      redisVersion: await redisVersion(cluster),
      nodes,
      convergence,
      replies,
      commands: actions.commands,
      expectations: evaluateExpectations(scenario.expect, { nodes, convergence, replies, ...(sentinels ? { sentinels: sentinels.finals } : {}) }),
      events,
      workload: counters,
      timings: { setupMs, maxLateMs, collectMs },
      notes,
      ...(sentinels ? { sentinels } : {}),
    };
  } finally {
    scheduler?.stop();
    watch?.close();
    for (const s of sessions) s.close();
    await cluster.shutdown();
    if (opts.keepLogsDir !== undefined) keepLogs(cluster, opts.keepLogsDir, events);
    rmSync(root, { recursive: true, force: true });
  }
}

/** One pipelined read per node: the server answers it in one event-loop pass (a snapshot). */
async function collect(cluster: RealCluster, name: string): Promise<RawNodeState | undefined> {
  const n = cluster.node(name);
  if (!n.running) return undefined;
  let c: RespClient | null = null;
  try {
    c = await n.connectInternal(2000);
    const client = c;
    const all = Promise.all(client.pipeline([
      ['INFO', 'replication'], ['INFO', 'stats'], ['INFO', 'persistence'], ['INFO', 'keyspace'], ['DBSIZE'], ['DEBUG', 'DIGEST'],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), COLLECT_TIMEOUT_MS)));
    // Cleared, or the CLI would sit out the whole minute before exiting.
    const replies = await Promise.race([all, timeout]).finally(() => clearTimeout(timer));
    if (!replies) return undefined;
    const text = (r: Reply | undefined): string => (r?.type === 'bulk' ? r.value ?? '' : r?.type === 'status' ? r.text : '');
    return {
      replication: text(replies[0]),
      stats: text(replies[1]),
      persistence: text(replies[2]),
      keyspace: text(replies[3]),
      dbsize: replies[4]?.type === 'int' ? replies[4].value : 0,
      digest: text(replies[5]),
    };
  } catch {
    return undefined;
  } finally {
    c?.close();
  }
}

async function redisVersion(cluster: RealCluster): Promise<string> {
  for (const n of cluster.nodes.values()) {
    if (!n.running) continue;
    try {
      const r = await new NodeSession(n, 0, n.password).call(['INFO', 'server']);
      if (r.type === 'bulk') return /redis_version:(\S+)/.exec(r.value ?? '')?.[1] ?? 'unknown';
    } catch {
      // try the next node
    }
  }
  return 'unknown';
}

/** The master names the scenario's Sentinels monitor. */
function sentinelMasterNames(scenario: Scenario): string[] {
  const names = new Set<string>();
  for (const s of scenario.sentinels ?? []) for (const m of s.config.masters) names.add(m.name);
  return [...names];
}

function keepLogs(cluster: RealCluster, dir: string, events: RealEvent[]): void {
  mkdirSync(dir, { recursive: true });
  for (const n of [...cluster.nodes.values(), ...cluster.sentinels.values()]) {
    if (existsSync(n.process.logFile)) cpSync(n.process.logFile, join(dir, `${n.name}.log`));
  }
  const lines = events.map((e) => `${(e.atUs / 1e6).toFixed(3)}s${e.plannedUs !== null ? ` (planned ${(e.plannedUs / 1e6).toFixed(3)}s)` : ''} ${e.node ?? '-'} ${e.text}`);
  writeFileSync(join(dir, 'harness.log'), `${lines.join('\n')}\n`);
}

/**
 * The workload: OpenLoopClient itself, driven by the real-time scheduler instead of the
 * Simulator and talking to a real node instead of a RedisServer. It touches only
 * `sim.at`/`sim.now` and `server().commands.newSession/call`, which these stand-ins provide.
 */
function startWorkload(scenario: Scenario, seed: string, cluster: RealCluster, sched: RealTimeScheduler, sessions: NodeSession[]): WorkloadCounters[] {
  const random = new RandomStreams(seed);
  return scenario.workload.map((spec, i) => {
    const session = new NodeSession(cluster.node(spec.node), spec.db);
    sessions.push(session);
    const server = {
      commands: {
        newSession: () => ({ db: spec.db }),
        call: (_session: unknown, argv: string[], onReply: (r: Reply) => void) => {
          void session.call(argv).then(onReply);
        },
      },
    };
    const client = new OpenLoopClient(
      sched as unknown as Simulator,
      () => server as unknown as RedisServer,
      spec,
      random.stream(`workload/${i}`),
    );
    client.start();
    return client.counters;
  });
}

/** The timeline's actions on the real cluster (the counterpart of scenario/actions.ts). */
class RealActions {
  readonly commands: RealCommand[] = [];
  private readonly timelineSessions = new Map<string, NodeSession>();
  private writeSeq = 0;
  private openLatencies: Array<{ a: string; b: string; token: number }> = [];

  constructor(
    private readonly cluster: RealCluster,
    private readonly sched: RealTimeScheduler,
    private readonly log: (e: RealEvent) => void,
    private readonly sessions: NodeSession[],
    /** A Sentinel restarted: its event subscription must be made again. */
    private readonly onRestarted: (name: string) => void,
  ) {}

  /** The node's timeline connection, or a named client's own (`client:` on the step). */
  private session(node: string, client?: string): NodeSession {
    const key = client === undefined ? node : `${node}/${client}`;
    let s = this.timelineSessions.get(key);
    if (!s) {
      s = new NodeSession(this.cluster.sentinels.get(node) ?? this.cluster.node(node));
      this.timelineSessions.set(key, s);
      this.sessions.push(s);
    }
    return s;
  }

  run(action: Action, line: number, plannedUs: Micros): void {
    const note = (node: string | null, text: string): void => this.log({ atUs: this.sched.now, plannedUs, node, text });
    const c = this.cluster;
    switch (action.kind) {
      case 'command': {
        const entry: RealCommand = { at: plannedUs, line, node: action.node, command: action.command, reply: NO_REPLY };
        this.commands.push(entry);
        note(action.node, action.command);
        const session = this.session(action.node, action.client);
        // The rewrite may have to open a proxy first; the session keeps the order anyway
        // because nothing else is sent on the timeline session in between.
        void c.rewriteCommand(action.node, action.argv).then((argv) =>
          session.call(argv).then((r) => {
            entry.reply = formatReply(r);
          }),
        );
        return;
      }
      case 'write': {
        note(action.node, `write burst: ${action.count} SETs of ${action.valueSize} bytes`);
        const s = new NodeSession(c.node(action.node), action.db);
        this.sessions.push(s);
        const value = 'w'.repeat(action.valueSize);
        const cmds: string[][] = [];
        for (let i = 0; i < action.count; i++) cmds.push(['SET', `${action.prefix}:${this.writeSeq++}`, value]);
        void s.pipeline(cmds).then(() => s.close());
        return;
      }
      case 'kill-link':
        note(action.node, 'CLIENT KILL TYPE master');
        // The harness's own connection, as replsim's kill-link (it works under requirepass too).
        void c.node(action.node).connectInternal().then(
          (k) => k.call(['CLIENT', 'KILL', 'TYPE', 'master']).finally(() => k.close()),
          (e: unknown) => note(action.node, `kill-link failed: ${(e as Error).message}`),
        );
        return;
      case 'partition':
        note(null, `partition ${action.groups.map((g) => g.join(',')).join(' | ')}`);
        c.policy.partitions.addSymmetric(action.groups);
        c.updateLinks();
        return;
      case 'partition-one-way':
        note(null, `one-way partition ${action.from.join(',')} → ${action.to.join(',')}`);
        c.policy.partitions.addOneWay(action.from, action.to);
        c.updateLinks();
        return;
      case 'heal':
        note(null, 'heal all');
        c.policy.healAll();
        this.openLatencies = [];
        c.updateLinks();
        return;
      case 'pause': {
        note(action.node, 'SIGSTOP');
        const proc = c.processOf(action.node);
        proc.signal('SIGSTOP');
        if (action.forUs !== null) {
          this.sched.after(action.forUs, () => {
            note(action.node, 'SIGCONT');
            proc.signal('SIGCONT');
          });
        }
        return;
      }
      case 'resume':
        note(action.node, 'SIGCONT');
        c.processOf(action.node).signal('SIGCONT');
        return;
      case 'crash':
        note(action.node, 'SIGKILL');
        void c.processOf(action.node).kill();
        return;
      case 'power-loss':
        // A real host's page cache survives a SIGKILL, and its kernel resets the connections:
        // replsim drops the unsynced AOF tail and lets peers find out by timeout, so outcomes
        // with appendonly, and detection times, may differ.
        note(action.node, 'power loss approximated by SIGKILL: the real page cache survives and peers see an RST');
        void c.processOf(action.node).kill();
        return;
      case 'restart': {
        const proc = c.processOf(action.node);
        for (const [key, s] of [...this.timelineSessions]) {
          if (key !== action.node && !key.startsWith(`${action.node}/`)) continue;
          s.close();
          this.timelineSessions.delete(key);
        }
        if (proc.running) {
          note(action.node, 'restart: already running, nothing to do');
          return;
        }
        note(action.node, 'restart');
        void proc.whenExited().then(() => c.start(action.node)).then(
          () => {
            note(action.node, 'restarted');
            this.onRestarted(action.node);
          },
          (e: unknown) => note(action.node, `restart failed: ${(e as Error).message}`),
        );
        return;
      }
      case 'latency': {
        const [a, b] = action.between;
        note(null, `latency +${action.addUs / 1000} ms between ${a} and ${b}`);
        const token = c.policy.addLatency(a, b, action.addUs / 1000);
        c.updateLinks();
        if (action.forUs !== null) {
          this.sched.after(action.forUs, () => {
            c.policy.clearLatency(a, b, token);
            c.updateLinks();
          });
        } else {
          this.openLatencies.push({ a, b, token });
        }
        return;
      }
      case 'disk':
        note(action.node, 'disk faults not applied to the real servers (replsim only)');
        return;
      case 'swizzle':
        note(null, 'swizzle-clogging not applied to the real servers (replsim only)');
        return;
      case 'clock':
        // A real redis-server reads the host's clock; replsim cannot skew it (that would take
        // libfaketime), so the step is noted and the comparison is expected to differ.
        note(action.node, 'clock fault not applied to the real server (replsim only)');
        return;
      case 'config-set':
        this.run({ kind: 'command', node: action.node, command: `CONFIG SET ${action.option} ${action.value}`, argv: ['CONFIG', 'SET', action.option, action.value] }, line, plannedUs);
        return;
    }
  }
}
