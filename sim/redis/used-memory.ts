/**
 * The process's used_memory (zmalloc_used_memory) and the INFO memory fields built on it,
 * as redis-server 7.0.15 reports them: what the keyspace model counts (startup + dataset,
 * data/memory-model.ts) plus what the process allocates around the data:
 *
 * - every connected client (client-memory.ts), resized by clientsCron at `hz`;
 * - the replication buffer (its blocks, shared by the backlog and the replicas) and the
 *   backlog's struct and block index;
 * - one latency histogram per command ever called (server.c updateCommandLatencyHistogram,
 *   latency-tracking yes by default): hdr_init(1, 1e9, 2) allocates 3,072 int64 counts
 *   (24,576 B) and the struct (112 B) the first time call() runs that command (a subcommand
 *   such as config|set has its own). Measured: the first SET, INFO, BGSAVE, REPLCONF or
 *   PSYNC of a process each add 24,688 B, a second one nothing — which is what the "first
 *   fork" (BGSAVE) and "first replica" (REPLCONF + PSYNC) steps of used_memory are.
 *
 * `Keyspace.usedMemoryBytes()` stays what the fork cost reads (the pages a child copies
 * are the dataset's). Eviction compares this total, less freeMemoryGetNotCountedMemory,
 * with maxmemory (eviction.ts).
 *
 * Simulated clients: a networked client (an accepted connection) counts from its accept
 * to its free; an in-process session of the simulation (timeline `command:` steps, the
 * workload, write bursts) stands for the differential harness's connection to the real
 * server and counts from its first command (the harness connects lazily) — a write burst
 * until its last reply (the harness closes it). Internal sessions (replsim's own reads,
 * the Lua client) count nothing: Redis's Lua client is part of used_memory_startup.
 */
import { ClientMemory, type ClientMemoryType } from './client-memory.js';
import { dictBucketBytes, USED_MEMORY_STARTUP_BYTES } from './data/memory-model.js';
import type { ClientSession } from './command-processor.js';
import { lookupCommand, type CommandSpec } from './commands/command-table.js';
import type { RedisServer } from './server.js';

/** hdr_histogram of one command: 3,072 counts × 8 B + the 112-byte struct (measured: +24,688 B per new command). */
export const COMMAND_HISTOGRAM_BYTES = 24_688;
/** functionsMemoryOverhead() of an empty function library (INFO used_memory_functions: 200). */
const FUNCTIONS_OVERHEAD_BYTES = 200;
/** createReplicationBacklog: the replBacklog struct, its rax and the list of blocks (measured ≈ 100 B; not visible beside a client). */
const REPL_BACKLOG_STRUCT_BYTES = 96;
/** The backlog's block index rax: one node (4 B in getMemoryOverheadData) before the first indexed block. */
const BACKLOG_INDEX_BYTES = 4;
/** repl-backlog-size is counted with this per-block overhead (freeMemoryGetNotCountedMemory: sizeof(replBufBlock)+sizeof(listNode)). */
const REPL_BLOCK_OVERHEAD_BYTES = 40 + 24;
const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
/** CLIENTS_CRON_MIN_ITERATIONS. */
const CLIENTS_CRON_MIN_ITERATIONS = 5;
/** sizeof(dictEntry) and sizeof(robj): getMemoryOverheadData's per-key overhead (plus 8 B per bucket). */
const DICT_ENTRY = 24;
const ROBJ = 16;

export class ServerMemory {
  /**
   * server.clients as a ring: the list starts at `clientsHead` and wraps around. clientsCron's
   * listRotateTailToHead then only steps `clientsHead` back one, where pop() + unshift()
   * moved every element (1.9 % of an idle cluster with Sentinels: 8 clients, 5 rotated a tick).
   */
  private readonly clients: ClientMemory[] = [];
  private clientsHead = 0;
  private readonly bySession = new Map<ClientSession, ClientMemory>();
  /** Commands whose latency histogram exists (fullname: set, config|set). */
  private readonly histograms = new Set<string>();
  /** The histogram recordCall added last (a shortcut: the set already holds it). */
  private lastHistogram = '';
  /** server.stat_clients_type_memory. */
  private readonly typeMemory: Record<ClientMemoryType, number> = { normal: 0, slave: 0, master: 0 };

  constructor(private readonly server: RedisServer) {}

  /** createClient: a client of `type`, counted from now. */
  attach(type: ClientMemoryType): ClientMemory {
    const c = new ClientMemory(type, this.server.sim.now / 1000, this.server.unixtime());
    // listAddNodeTail: the tail is just before the head in the ring.
    if (this.clientsHead === 0) this.clients.push(c);
    else this.clients.splice(this.clientsHead++, 0, c);
    return c;
  }

  /** freeClient: its allocations and its share of mem_clients_* go. */
  detach(c: ClientMemory): void {
    const i = this.clients.indexOf(c);
    if (i < 0) return;
    this.clients.splice(i, 1);
    if (i < this.clientsHead) this.clientsHead--;
    else if (this.clientsHead === this.clients.length) this.clientsHead = 0;
    this.typeMemory[c.lastMemoryType] -= c.lastMemoryUsage;
  }

  /** The client of a session (a networked one, or an in-process one that stands for a connection), attached now if new. */
  ofSession(session: ClientSession): ClientMemory {
    let c = this.bySession.get(session);
    if (c === undefined) {
      c = this.attach('normal');
      this.bySession.set(session, c);
    }
    return c;
  }

  /** The session's connection closed (a freed networked client, a finished write burst). */
  releaseSession(session: ClientSession): void {
    const c = this.bySession.get(session);
    if (c === undefined) return;
    this.bySession.delete(session);
    this.detach(c);
  }

  /**
   * call() ran argv (updateCommandLatencyHistogram creates the histogram of real_cmd once:
   * the subcommand's for a container command, `config|set`).
   */
  recordCall(argv: readonly string[], spec: CommandSpec | undefined = lookupCommand(argv[0] ?? '')): void {
    if (spec === undefined) return;
    const sub = spec.subcommands && argv.length > 1 ? spec.subcommands.get(argv[1]!.toLowerCase()) : undefined;
    const name = sub ? sub.fullname : spec.fullname;
    // A write stream repeats one command: the set has it already (it is never emptied).
    if (name === this.lastHistogram) return;
    this.lastHistogram = name;
    this.histograms.add(name);
  }

  /** The clientsCron part of serverCron: numclients/hz clients a tick, at least 5, rotating. */
  clientsCron(): void {
    const n = this.clients.length;
    if (n === 0) return;
    let iterations = Math.trunc(n / this.server.config.hz);
    if (iterations < CLIENTS_CRON_MIN_ITERATIONS) iterations = Math.min(n, CLIENTS_CRON_MIN_ITERATIONS);
    const nowMs = this.server.sim.now / 1000;
    // Runs at hz on every node, idle or not: kept cheap. Each iteration is
    // listRotateTailToHead, then the new head: the ring's head steps back one. Visiting all
    // n clients leaves the head where it was. The clock is read only for a client whose
    // query buffer might be shrunk.
    const clients = this.clients;
    let head = this.clientsHead;
    for (let i = 0; i < iterations; i++) {
      head = head === 0 ? n - 1 : head - 1;
      const c = clients[head]!;
      c.cronResize(this.server, nowMs);
      // updateClientMemoryUsage: remove the old value from the old type, add the new one.
      const usage = c.memoryUsage();
      if (usage === c.lastMemoryUsage && c.type === c.lastMemoryType) continue;
      this.typeMemory[c.lastMemoryType] -= c.lastMemoryUsage;
      c.lastMemoryUsage = usage;
      c.lastMemoryType = c.type;
      this.typeMemory[c.type] += usage;
    }
    this.clientsHead = head;
  }

  private clientsBytes(): number {
    let sum = 0;
    for (const c of this.clients) sum += c.usedBytes();
    return sum;
  }

  /** server.repl_buffer_mem: the blocks of the replication buffer. */
  private replBufferMem(): number {
    return this.server.backlog?.totalMemory() ?? 0;
  }

  /** zmalloc_used_memory(): INFO used_memory. */
  usedMemory(): number {
    const s = this.server;
    const backlog = s.backlog ? REPL_BACKLOG_STRUCT_BYTES + this.replBufferMem() : 0;
    return s.keyspace.usedMemoryBytes() + this.clientsBytes() + this.histograms.size * COMMAND_HISTOGRAM_BYTES + backlog;
  }

  /** freeMemoryGetNotCountedMemory: the replication buffer beyond repl-backlog-size (AOF buffer: flushed before each reply here, so 0). */
  notCountedForEviction(): number {
    const size = this.server.config.replBacklogSizeBytes;
    const mem = this.replBufferMem();
    if (mem <= size) return 0;
    const counted = size + (Math.trunc(size / PROTO_REPLY_CHUNK_BYTES) + 1) * REPL_BLOCK_OVERHEAD_BYTES;
    return Math.max(0, mem - counted);
  }

  /** getMemoryOverheadData's repl_backlog and clients_slaves (INFO mem_replication_backlog, mem_clients_slaves). */
  replicationOverhead(): { backlog: number; clientsSlaves: number } {
    const s = this.server;
    const mem = this.replBufferMem();
    const size = s.config.replBacklogSizeBytes;
    const split = s.master.replicas.length > 0 && mem > size;
    const index = s.backlog ? BACKLOG_INDEX_BYTES : 0;
    return { backlog: (split ? size : mem) + index, clientsSlaves: split ? mem - size : 0 };
  }

  /** INFO mem_clients_normal: master, pubsub and normal clients as clientsCron last measured them. */
  clientsNormal(): number {
    return this.typeMemory.normal + this.typeMemory.master;
  }

  /** INFO used_memory_overhead (getMemoryOverheadData's overhead_total, no scripts cached). */
  overhead(): number {
    const s = this.server;
    const ks = s.keyspace;
    const repl = this.replicationOverhead();
    let total = USED_MEMORY_STARTUP_BYTES + repl.backlog + repl.clientsSlaves + this.clientsNormal() + FUNCTIONS_OVERHEAD_BYTES;
    for (let db = 0; db < s.config.databases; db++) {
      const keys = ks.dbsize(db);
      if (keys === 0) continue;
      const expires = ks.expiresCount(db);
      total += keys * (DICT_ENTRY + ROBJ) + dictBucketBytes(keys) + expires * DICT_ENTRY + dictBucketBytes(expires);
    }
    return total;
  }
}
