/**
 * The real cluster of a scenario: one redis-server per node (own temp dir, own free port),
 * one fault proxy per (replica, master) pair that is ever used, and the address book that
 * maps ports back to node names. Replicas never connect to a master directly: `replicaof:`
 * and every REPLICAOF/SLAVEOF command are pointed at the proxy of their pair, created on
 * demand. A REPLICAOF naming a host that is not a node, or a node at a port it does not
 * listen on, is pointed at a port where nothing listens, as the simulator refuses it: the
 * harness never lets a replica reach a Redis it did not start.
 *
 * With Sentinels the addressing changes, because a Sentinel learns addresses from INFO and
 * hellos and dials them itself: every process (node or Sentinel) gets a front proxy that
 * everyone dials, and a loopback source address of its own (`bind-source-addr 127.0.0.N`,
 * which redis-server uses for its replication link and redis-sentinel for all its links), so
 * the front proxy knows who is calling and applies the scenario's partitions to that pair.
 * Nodes announce their front proxy (`replica-announce-ip/port`), Sentinels theirs
 * (`sentinel announce-ip/port`), and `replicaof:`/REPLICAOF point at the master's front.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSpec, Scenario, SentinelSpec } from '../scenario/scenario.js';
import { FaultProxy } from './fault-proxy.js';
import { ScenarioLinkPolicy } from './link-policy.js';
import type { AddressBook } from './real-final-state.js';
import { activeExpireDisabled, effectiveConfigText, redisArgs, scenarioPort } from './redis-args.js';
import { freePort, RedisProcess } from './redis-process.js';
import { RespClient } from './resp-client.js';
import { sentinelConfText, sentinelDebugArgv } from './sentinel-conf.js';

/** A scenario Sentinel as a real redis-sentinel process. */
export class RealSentinel {
  constructor(
    readonly spec: SentinelSpec,
    readonly process: RedisProcess,
  ) {}

  get name(): string {
    return this.spec.name;
  }
  get port(): number {
    return this.process.port;
  }
  get running(): boolean {
    return this.process.running;
  }
}

export class RealNode {
  constructor(
    readonly spec: NodeSpec,
    readonly process: RedisProcess,
    readonly scenarioPort: number,
    readonly activeExpireOff: boolean,
    /** requirepass as the scenario configures it: the harness's own connections AUTH with it. */
    readonly password: string | null = null,
  ) {}

  /**
   * A connection of the harness itself (dataset, final state, faults), authenticated when the
   * node has a requirepass. The timeline's commands use their own, unauthenticated sessions,
   * as a client would.
   */
  async connectInternal(timeoutMs = 2000): Promise<RespClient> {
    const c = await RespClient.connect(this.port, timeoutMs);
    if (this.password !== null) {
      const r = await c.call(['AUTH', this.password]);
      if (r.type === 'error') {
        c.close();
        throw new Error(`${this.name}: AUTH failed: ${r.text}`);
      }
    }
    return c;
  }

  get name(): string {
    return this.spec.name;
  }
  get port(): number {
    return this.process.port;
  }
  get running(): boolean {
    return this.process.running;
  }
}

export class RealCluster implements AddressBook {
  readonly nodes = new Map<string, RealNode>();
  readonly proxies = new Map<string, FaultProxy>();
  readonly policy: ScenarioLinkPolicy;
  /** A port nobody listens on: where REPLICAOF to an unknown address goes. */
  deadPort = 0;
  readonly sentinels = new Map<string, RealSentinel>();
  /** Sentinel scenarios: one front proxy per process (node or Sentinel), by name. */
  readonly fronts = new Map<string, FaultProxy>();
  /** Sentinel scenarios: source address → the process that connects from it. */
  private readonly sourceNames = new Map<string, string>();
  /** redis-sentinel's path (Sentinel scenarios only). */
  sentinelBinary = 'redis-sentinel';

  constructor(
    readonly scenario: Scenario,
    readonly binary: string,
    readonly rootDir: string,
  ) {
    this.policy = new ScenarioLinkPolicy(scenario.network);
  }

  /** Ports, proxies for the initial `replicaof:` pairs, processes (not started). */
  async prepare(): Promise<void> {
    this.deadPort = await freePort();
    const ports = new Map<string, number>();
    for (const spec of this.scenario.nodes) ports.set(spec.name, await freePort());
    for (const spec of this.scenario.sentinels ?? []) ports.set(spec.name, await freePort());
    if (this.sentinelMode) await this.openFronts(ports);
    for (const spec of this.scenario.nodes) {
      const dir = join(this.rootDir, spec.name);
      mkdirSync(dir, { recursive: true });
      let replicaofPort: number | null = null;
      if (spec.replicaof !== null) {
        replicaofPort = this.sentinelMode ? this.front(spec.replicaof).port : (await this.proxy(spec.name, spec.replicaof, ports)).port;
      }
      const args = redisArgs(this.scenario, spec, replicaofPort);
      if (this.sentinelMode) {
        args.push('--bind-source-addr', this.sourceOf(spec.name), '--replica-announce-ip', '127.0.0.1', '--replica-announce-port', String(this.front(spec.name).port));
      }
      const proc = new RedisProcess(spec.name, this.binary, dir, ports.get(spec.name)!, args);
      const password = effectiveConfigText(this.scenario, spec).get('requirepass') || null;
      this.nodes.set(spec.name, new RealNode(spec, proc, scenarioPort(this.scenario, spec), activeExpireDisabled(this.scenario, spec), password));
    }
    for (const spec of this.scenario.sentinels ?? []) {
      const dir = join(this.rootDir, spec.name);
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(conf, sentinelConfText(spec, { announcePort: this.front(spec.name).port, frontPortOf: (n) => this.front(n).port }));
      const proc = new RedisProcess(spec.name, this.sentinelBinary, dir, ports.get(spec.name)!, ['--bind-source-addr', this.sourceOf(spec.name)], [conf]);
      this.sentinels.set(spec.name, new RealSentinel(spec, proc));
    }
  }

  get sentinelMode(): boolean {
    return (this.scenario.sentinels ?? []).length > 0;
  }

  /** Source addresses 127.0.0.2, .3, … and a listening front proxy for every process. */
  private async openFronts(ports: Map<string, number>): Promise<void> {
    const names = [...this.scenario.nodes.map((n) => n.name), ...(this.scenario.sentinels ?? []).map((s) => s.name)];
    names.forEach((n, i) => this.sourceNames.set(`127.0.0.${i + 2}`, n));
    for (const n of names) {
      const p = new FaultProxy('harness', n, () => ports.get(n)!, this.policy, (ip) => this.sourceNames.get(ip.replace(/^::ffff:/, '')) ?? 'harness');
      this.fronts.set(n, p);
      await p.listen();
    }
  }

  private sourceOf(name: string): string {
    for (const [ip, n] of this.sourceNames) if (n === name) return ip;
    throw new Error(`no source address for ${name}`);
  }

  /** The front proxy of a process (Sentinel scenarios). */
  front(name: string): FaultProxy {
    const p = this.fronts.get(name);
    if (!p) throw new Error(`no front proxy for ${name}`);
    return p;
  }

  /** The process of a node or a Sentinel (for crash, pause, restart). */
  processOf(name: string): RedisProcess {
    return this.sentinels.get(name)?.process ?? this.node(name).process;
  }

  /** Starts a Sentinel (time 0, or a restart) and applies the scenario's SENTINEL DEBUG timings. */
  async startSentinel(name: string): Promise<void> {
    const s = this.sentinels.get(name);
    if (!s) throw new Error(`no sentinel ${name}`);
    await s.process.start();
    const debug = sentinelDebugArgv(s.spec.config.timings);
    if (debug === null) return;
    const c = await RespClient.connect(s.port);
    try {
      const r = await c.call(debug);
      if (r.type === 'error') throw new Error(`${name}: ${debug.join(' ')}: ${r.text}`);
    } finally {
      c.close();
    }
  }

  node(name: string): RealNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** The proxy for replica → master, listening before this resolves. */
  async proxy(replica: string, master: string, ports?: Map<string, number>): Promise<FaultProxy> {
    const key = `${replica}->${master}`;
    let p = this.proxies.get(key);
    if (!p) {
      const target = (): number => ports?.get(master) ?? this.node(master).port;
      p = new FaultProxy(replica, master, target, this.policy);
      this.proxies.set(key, p);
      await p.listen();
    }
    return p;
  }

  /** Starts (or restarts) a node and applies what the command line cannot say. */
  async start(name: string): Promise<void> {
    if (this.sentinels.has(name)) return this.startSentinel(name);
    const n = this.node(name);
    await n.process.start();
    if (n.activeExpireOff) {
      const c = await n.connectInternal();
      try {
        await c.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
      } finally {
        c.close();
      }
    }
  }

  /** After a partition, heal or latency step: every proxy re-evaluates its connections. */
  updateLinks(): void {
    for (const p of this.proxies.values()) p.update();
    for (const p of this.fronts.values()) p.update();
  }

  /**
   * REPLICAOF/SLAVEOF host port, as run on node `self` → the same command pointed at the
   * proxy for (self, host). Anything else is returned as it was.
   */
  async rewriteCommand(self: string, argv: readonly string[]): Promise<string[]> {
    const name = (argv[0] ?? '').toLowerCase();
    if (name === 'failover') return this.rewriteFailover(argv);
    if ((name !== 'replicaof' && name !== 'slaveof') || argv.length !== 3) return [...argv];
    const host = argv[1]!;
    const port = argv[2]!;
    if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') return [...argv];
    const target = this.nodes.get(host);
    if (!target || String(target.scenarioPort) !== port || host === self) {
      return [argv[0]!, '127.0.0.1', String(this.deadPort)];
    }
    const p = this.sentinelMode ? this.front(host) : await this.proxy(self, host);
    return [argv[0]!, '127.0.0.1', String(p.port)];
  }

  /**
   * FAILOVER TO host port names a replica as its master lists it: a node name and its
   * scenario port become 127.0.0.1 and the node's real port (what the replica announces).
   * The demoted master then connects to the target directly, not through a fault proxy:
   * faults cannot reach that one link (documented in test/differential/KNOWN-DIFFERENCES.md).
   */
  private rewriteFailover(argv: readonly string[]): string[] {
    const out = [...argv];
    const to = out.findIndex((a) => a.toLowerCase() === 'to');
    if (to >= 0 && to + 2 < out.length) {
      const target = this.nodes.get(out[to + 1]!);
      if (target && String(target.scenarioPort) === out[to + 2]) {
        out[to + 1] = '127.0.0.1';
        out[to + 2] = String(target.port);
      }
    }
    return out;
  }

  // AddressBook
  nodeAtPort(port: number): string | undefined {
    for (const n of this.nodes.values()) if (n.port === port) return n.name;
    for (const p of this.proxies.values()) if (p.port === port) return p.master;
    for (const p of this.fronts.values()) if (p.port === port) return p.master;
    return undefined;
  }

  scenarioPort(node: string): number {
    return this.nodes.get(node)?.scenarioPort ?? 6379;
  }

  /** Kills every process this cluster started and closes every proxy. Never throws. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.nodes.values(), ...this.sentinels.values()].map((n) => n.process.kill().catch(() => undefined)));
    await Promise.all([...this.proxies.values(), ...this.fronts.values()].map((p) => p.close().catch(() => undefined)));
  }
}
