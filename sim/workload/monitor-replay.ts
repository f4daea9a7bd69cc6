/**
 * Replays a `redis-cli MONITOR` capture (monitor-capture.ts) against the simulated master:
 * each command at its captured time (relative to the first, divided by `speed`, from the
 * workload's `from`), on one connection per captured client address and DB (so a client's
 * MULTI/EXEC and blocking commands stay on their own connection, as they were). With `loop`
 * the capture starts again after its span; `sample` keeps a fixed fraction of the keys (by a
 * hash of the command's first key, so a key is kept or dropped whole; commands without keys
 * are kept); `keys` renames every key onto at most that many names per stem (its text up to
 * the first digit, so user:17 and session:17 stay apart and keep their types), to replay a big
 * keyspace's traffic on a small one. Keys are found by Redis's key specs (key-specs.ts).
 * The commands of the deployment's own Sentinels (the clients that publish hellos) are left
 * out and counted: the scenario's Sentinels play that part.
 * Commands the model does not know are sent anyway — the server answers them with an error —
 * and counted by name, so a run says what it could not replay instead of dropping it silently.
 */
import type { Simulator } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { ClientSession } from '../redis/index.js';
import type { Reply } from '../redis/index.js';
import type { RedisServer } from '../redis/index.js';
import { keyPositions } from '../redis/index.js';
import type { MonitorEntry } from './monitor-capture.js';

export interface ReplaySpec {
  /** The capture file as the scenario names it (messages, reproducer files). */
  file: string;
  entries: readonly MonitorEntry[];
  spanUs: Micros;
  /** Captured time is divided by this: 2 replays twice as fast. */
  speed: number;
  loop: boolean;
  /** Only captured commands in [windowFromUs, windowUntilUs) of the capture's own time. */
  windowFromUs: Micros;
  windowUntilUs: Micros;
  /** Fraction of keys kept, in (0, 1]. */
  sample: number;
  /** Rename keys onto this many names per stem, or null to keep them. */
  foldKeys: number | null;
}

export interface ReplayCounters {
  sent: number;
  ok: number;
  errors: number;
  /** Command name (lower case) → times the server did not know it. */
  unmodelled: Record<string, number>;
  /** Left out by `sample`. */
  sampledOut: number;
  /** Commands of the captured Sentinels, left out (the simulated Sentinels send their own). */
  sentinels: number;
}

/** Commands that never replicate and only disturb a replay's connection state (COMMAND DOCS is redis-cli's own). */
const SKIPPED = new Set(['command', 'monitor', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'quit', 'reset', 'hello', 'auth', 'select', 'client']);

export class MonitorReplayClient {
  readonly counters: ReplayCounters = { sent: 0, ok: 0, errors: 0, unmodelled: {}, sampledOut: 0, sentinels: 0 };
  /** Captured clients that are Sentinels: they PUBLISH hellos (sentinelSendHello). */
  private readonly sentinelClients: ReadonlySet<string>;
  private readonly sessions = new Map<string, ClientSession>();
  private index = 0;
  private round = 0;
  private readonly tickBound = (): void => this.tick();

  constructor(
    private readonly sim: Simulator,
    private readonly server: () => RedisServer,
    private readonly spec: ReplaySpec,
    private readonly fromUs: Micros,
    private readonly untilUs: Micros,
  ) {
    this.sentinelClients = sentinelClientsOf(spec.entries);
  }

  start(): void {
    this.skipOutsideWindow();
    this.scheduleNext();
  }

  private skipOutsideWindow(): void {
    const e = this.spec.entries;
    while (this.index < e.length && (e[this.index]!.offsetUs < this.spec.windowFromUs || e[this.index]!.offsetUs >= this.spec.windowUntilUs)) this.index++;
  }

  private scheduleNext(): void {
    const e = this.spec.entries;
    if (this.index >= e.length) {
      const windowLen = Math.min(this.spec.spanUs, this.spec.windowUntilUs) - this.spec.windowFromUs;
      if (!this.spec.loop || windowLen <= 0) return;
      this.round++;
      this.index = 0;
      this.skipOutsideWindow();
      if (this.index >= e.length) return;
    }
    const windowLen = Math.max(1, Math.min(this.spec.spanUs, this.spec.windowUntilUs) - this.spec.windowFromUs + 1);
    const captured = e[this.index]!.offsetUs - this.spec.windowFromUs + this.round * windowLen;
    const at = this.fromUs + Math.floor(captured / this.spec.speed);
    if (at >= this.untilUs) return;
    this.sim.at(Math.max(at, this.sim.now), this.tickBound);
  }

  private tick(): void {
    const entry = this.spec.entries[this.index]!;
    this.index++;
    this.send(entry);
    this.skipOutsideWindow();
    this.scheduleNext();
  }

  private send(entry: MonitorEntry): void {
    const name = entry.argv[0]!.toLowerCase();
    if (SKIPPED.has(name)) return;
    if (this.sentinelClients.has(entry.client)) {
      // Replayed, a captured hello would make the simulated Sentinels count the real ones as
      // peers (num-other-sentinels, hence the majority a failover needs), and a captured
      // failover's REPLICAOF would reconfigure the simulated nodes.
      this.counters.sentinels++;
      return;
    }
    const keys = keyPositions(entry.argv);
    if (this.spec.sample < 1 && keys.length > 0 && keyHash(entry.argv[keys[0]!]!) >= this.spec.sample) {
      this.counters.sampledOut++;
      return;
    }
    const fold = this.spec.foldKeys;
    const argv = fold === null || keys.length === 0 ? entry.argv : entry.argv.map((a, i) => (keys.includes(i) ? foldedKey(a, fold) : a));
    const srv = this.server();
    const id = `${entry.client}/${entry.db}`;
    let session = this.sessions.get(id);
    if (session === undefined) {
      // Already authenticated: the captured client was (its AUTH is not replayed).
      session = srv.commands.newSession(`replay ${entry.client}`, true);
      session.db = entry.db;
      this.sessions.set(id, session);
    }
    this.counters.sent++;
    srv.commands.call(session, argv, (r: Reply) => this.onReply(name, r));
  }

  private onReply(name: string, r: Reply): void {
    if (r.type !== 'error') {
      this.counters.ok++;
      return;
    }
    this.counters.errors++;
    if (r.text.startsWith('ERR unknown command') || r.text.includes('is not supported by replsim')) {
      this.counters.unmodelled[name] = (this.counters.unmodelled[name] ?? 0) + 1;
    }
  }
}

/** The captured client addresses that publish Sentinel hellos: the Sentinels' command links. */
function sentinelClientsOf(entries: readonly MonitorEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    if (e.argv.length >= 2 && e.argv[0]!.toLowerCase() === 'publish' && e.argv[1] === '__sentinel__:hello') out.add(e.client);
  }
  return out;
}

/** `key` renamed onto one of `n` names of its stem (its text up to the first digit). */
function foldedKey(key: string, n: number): string {
  const digit = key.search(/[0-9]/);
  const stem = digit === -1 ? `${key}:` : key.slice(0, digit);
  return `${stem}${Math.floor(keyHash(key) * n)}`;
}

/** FNV-1a of a key, as a fraction in [0, 1): a stable keep/drop decision per key. */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}
