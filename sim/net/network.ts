/**
 * The network: hosts, the links between them, and the faults on them. Faults are ordinary
 * calls (turmoil-style) that the nemesis makes; each leaves one trace record. Packets leave
 * no records: the trace stays about what the system did, and the hash stays cheap.
 *
 * Randomness: every latency sample comes from sim.random.stream('net').
 */
import { simAssert } from '../engine/index.js';
import type { Random } from '../engine/index.js';
import type { Simulator } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import { Host } from './host.js';
import { latencyModelProblem, type LatencyModel } from './latency.js';
import { Link } from './link.js';
import { PartitionTable } from './partition.js';
import type { Pipe, PipeEnv } from './pipe.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export interface NetworkOptions {
  /** One-way latency of every link unless overridden. */
  latency: LatencyModel;
  /** Per connection and direction; Infinity means no serialization delay. */
  bandwidthBytesPerSec: number;
  /** Effective SO_SNDBUF of every socket (default TCP_SEND_BUFFER_BYTES). */
  tcpSendBufferBytes?: number;
  /** Effective SO_RCVBUF of every socket (default TCP_RECEIVE_BUFFER_BYTES). */
  tcpReceiveBufferBytes?: number;
}

/**
 * Effective socket buffers of an established connection under Linux's autotuning, as
 * measured on loopback (docs/model.md, "The network"): the send buffer grows to tcp_wmem's
 * max (4 MiB) within moments of steady traffic; the receive buffer grows only as fast as
 * the application reads, to a few hundred KiB at replication-stream rates (tcp_rmem's max,
 * 6 MiB by default, only under a bulk transfer that is read at full speed).
 */
export const TCP_SEND_BUFFER_BYTES = 4 * 1024 * 1024;
export const TCP_RECEIVE_BUFFER_BYTES = 512 * 1024;

export interface LinkOverride {
  latency?: LatencyModel;
  bandwidthBytesPerSec?: number;
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

const joinHosts = (hs: readonly string[]): string => hs.join(',');

export class Network implements PipeEnv {
  readonly sim: Simulator;
  readonly rng: Random;
  readonly tcpSendBufferBytes: number;
  readonly tcpReceiveBufferBytes: number;
  private readonly defaults: NetworkOptions;
  private readonly byName = new Map<string, Host>();
  private readonly links = new Map<string, Link>();
  private readonly partitions = new PartitionTable();
  /** Pipes stalled on a partition, in the order they stalled (the order they flush in). */
  private readonly stalled = new Set<Pipe>();
  private nextEndpointId = 1;

  constructor(sim: Simulator, opts: NetworkOptions) {
    this.sim = sim;
    this.rng = sim.random.stream('net');
    this.checkLink(opts.latency, opts.bandwidthBytesPerSec);
    this.defaults = { latency: opts.latency, bandwidthBytesPerSec: opts.bandwidthBytesPerSec };
    this.tcpSendBufferBytes = opts.tcpSendBufferBytes ?? TCP_SEND_BUFFER_BYTES;
    this.tcpReceiveBufferBytes = opts.tcpReceiveBufferBytes ?? TCP_RECEIVE_BUFFER_BYTES;
    for (const b of [this.tcpSendBufferBytes, this.tcpReceiveBufferBytes]) {
      simAssert(Number.isSafeInteger(b) && b >= 0, this.sim, () => `network: a TCP buffer must be a non-negative integer of bytes, got ${b}`);
    }
  }

  addHost(name: string): Host {
    simAssert(typeof name === 'string' && name.length > 0, this.sim, 'addHost: a host needs a name');
    simAssert(!this.byName.has(name), this.sim, () => `addHost: host ${JSON.stringify(name)} already exists`);
    const h = new Host(this, name);
    this.byName.set(name, h);
    return h;
  }

  host(name: string): Host {
    const h = this.byName.get(name);
    simAssert(h !== undefined, this.sim, () => `no host named ${JSON.stringify(name)}`);
    return h;
  }

  hostOrUndefined(name: string): Host | undefined {
    return this.byName.get(name);
  }

  /** All hosts, in the order they were added. */
  hosts(): Host[] {
    return [...this.byName.values()];
  }

  /** The (symmetric) link between two hosts; connections keep a reference, so changes apply to them. */
  link(a: string, b: string): Link {
    const key = linkKey(a, b);
    let l = this.links.get(key);
    if (l === undefined) {
      l = new Link(this.defaults.latency, this.defaults.bandwidthBytesPerSec);
      this.links.set(key, l);
    }
    return l;
  }

  /** Latency and/or bandwidth of the a–b link, both directions, for packets sent from now on. */
  setLinkOverride(a: string, b: string, o: LinkOverride): void {
    this.checkHosts([a, b], 'setLinkOverride');
    const l = this.link(a, b);
    const latency = o.latency ?? l.latency;
    const bw = o.bandwidthBytesPerSec ?? l.bandwidthBytesPerSec;
    this.checkLink(latency, bw);
    l.latency = latency;
    l.bandwidthBytesPerSec = bw;
  }

  /** Symmetric: hosts in different groups cannot talk; hosts not named are unaffected. */
  partition(groups: string[][]): number {
    this.checkHosts(groups.flat(), 'partition');
    const id = this.partitions.addSymmetric(groups);
    this.sim.record('net.partition', undefined, { id, groups: groups.map(joinHosts).join('|') });
    return id;
  }

  /** Packets from → to are dropped (and retransmitted, so they stall); the reverse direction works. */
  partitionOneWay(from: string[], to: string[]): number {
    this.checkHosts([...from, ...to], 'partitionOneWay');
    const id = this.partitions.addOneWay(from, to);
    this.sim.record('net.partition.oneway', undefined, { id, from: joinHosts(from), to: joinHosts(to) });
    return id;
  }

  /** Ends one partition; stalled data in directions now open flows again. Unknown ids are ignored. */
  heal(id: number): void {
    if (!this.partitions.remove(id)) return;
    this.sim.record('net.heal', undefined, { id });
    this.flushHealed();
  }

  healAll(): void {
    const count = this.partitions.size;
    this.partitions.clear();
    this.sim.record('net.heal.all', undefined, { count });
    this.flushHealed();
  }

  isBlocked(from: string, to: string): boolean {
    return this.partitions.isBlocked(from, to);
  }

  /** Extra latency, both directions, for packets sent during the next durationUs (FoundationDB's clogging). */
  clog(a: string, b: string, extraLatencyUs: Micros, durationUs: Micros): void {
    this.checkHosts([a, b], 'clog');
    simAssert(Number.isSafeInteger(extraLatencyUs) && extraLatencyUs >= 0, this.sim, () => `clog: bad extra latency ${extraLatencyUs}`);
    simAssert(Number.isSafeInteger(durationUs) && durationUs >= 0, this.sim, () => `clog: bad duration ${durationUs}`);
    const link = this.link(a, b);
    const untilUs = this.sim.now + durationUs;
    link.clogExtraUs = extraLatencyUs;
    link.clogUntilUs = untilUs;
    // No event marks the end: a net-internal timer would keep an otherwise idle run busy
    // (and a scenario may clog "forever"). The record carries the duration instead.
    this.sim.record('net.clog', undefined, { a, b, extraUs: extraLatencyUs, durationUs });
  }

  /**
   * Packet loss on the a–b link as TCP experiences it: with `probability`, a segment is
   * retransmitted after rtoUs, which delays it and (FIFO) everything behind it. Bytes are
   * never lost. Probability 0 turns it off.
   */
  setLossRto(a: string, b: string, probability: number, rtoUs: Micros): void {
    this.checkHosts([a, b], 'setLossRto');
    simAssert(probability >= 0 && probability <= 1, this.sim, () => `setLossRto: probability ${probability} is not in [0, 1]`);
    simAssert(Number.isSafeInteger(rtoUs) && rtoUs >= 0, this.sim, () => `setLossRto: bad RTO ${rtoUs}`);
    const link = this.link(a, b);
    link.lossProbability = probability;
    link.lossRtoUs = rtoUs;
    this.sim.record('net.loss', undefined, { a, b, probability, rtoUs });
  }

  _stall(pipe: Pipe): void {
    this.stalled.add(pipe);
  }

  /** Two consecutive ids: the client end's, then the server end's. */
  _allocEndpointIds(): number {
    const id = this.nextEndpointId;
    this.nextEndpointId += 2;
    return id;
  }

  private flushHealed(): void {
    for (const pipe of this.stalled) {
      if (!pipe.stalled) {
        this.stalled.delete(pipe); // reset since it stalled
      } else if (!this.isBlocked(pipe.fromHost, pipe.toHost)) {
        this.stalled.delete(pipe);
        pipe.flush();
      }
    }
  }

  private checkHosts(names: readonly string[], what: string): void {
    for (const n of names) simAssert(this.byName.has(n), this.sim, () => `${what}: no host named ${JSON.stringify(n)}`);
  }

  private checkLink(latency: LatencyModel, bw: number): void {
    const problem = latencyModelProblem(latency);
    simAssert(problem === null, this.sim, () => `network: ${problem}`);
    simAssert(bw > 0, this.sim, () => `network: bandwidth must be > 0 bytes/s (Infinity allowed), got ${bw}`);
  }
}
