/**
 * A Sentinel-aware client, following the documented client algorithm ("Sentinel client
 * spec" on redis.io; docs/model.md, "Sentinel-aware clients"), on a host of its own so that a partition can leave it with
 * the old master:
 *
 *  1. ask the Sentinels in order (connect timeout of a few hundred ms) for
 *     `SENTINEL get-master-addr-by-name <master>`; the first that answers with an address
 *     moves to the head of the list; a null reply or a failure → the next one;
 *  2. connect to that address and, with `roleCheck`, send `ROLE`: anything but `master` →
 *     wait `retryDelayUs` and start again (a Sentinel that has not learned the new config);
 *  3. on every disconnection, timeout or `-READONLY`, start again from 1 — Sentinel's
 *     `CLIENT KILL TYPE normal` in the SLAVEOF transaction is what forces this;
 *  4. optionally subscribe to `+switch-master` on the Sentinel that answered and start
 *     again as soon as it names a new address (never relied on alone).
 *
 * It writes `SET <keyPrefix>:<n> <n>` at `rateHz`, one write at a time (a tick that finds
 * the previous write unanswered is skipped). Each write leaves Jepsen's pair of records:
 * `client.write` when sent (the invocation, on the node it is sent to) and
 * `client.acked-write` when it completes (`set` = the reply text, `OK` for an acknowledged
 * write, or `no reply` when the connection ended first — indeterminate). Discovery steps
 * leave `client.discover` records, so answers can tell which Sentinel sent it where.
 */
import type { Simulator } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { Network } from '../net/index.js';
import { formatReply, type Reply } from '../redis/index.js';
import { ClientConnection } from './client-connection.js';

export interface SentinelAddress {
  name: string;
  host: string;
  port: number;
}

export interface SentinelClientOptions {
  /** The client's host (added to the network by the caller). */
  host: string;
  /** In the order they are asked. */
  sentinels: SentinelAddress[];
  master: string;
  rateHz: number;
  fromUs: Micros;
  untilUs: Micros;
  roleCheck: boolean;
  retryDelayUs: Micros;
  connectTimeoutUs: Micros;
  timeoutUs: Micros;
  subscribe: boolean;
  keyPrefix: string;
  db: number;
}

export const SENTINEL_CLIENT_WRITE = 'client.write';
export const SENTINEL_CLIENT_DONE = 'client.acked-write';
export const SENTINEL_CLIENT_DISCOVER = 'client.discover';

type State = 'idle' | 'discovering' | 'connecting' | 'ready' | 'waiting';

interface InFlight {
  seq: number;
  key: string;
  value: string;
  node: string;
  invokedUs: Micros;
  done: boolean;
}

export class SentinelClient {
  /** Writes answered OK / writes completed in any way. */
  acknowledged = 0;
  completed = 0;
  state: State = 'idle';
  private readonly order: SentinelAddress[];
  private master: ClientConnection | null = null;
  private masterNode = '';
  private sub: ClientConnection | null = null;
  private inFlight: InFlight | null = null;
  private seq = 0;
  private ticks = 0;
  /** Bumped at each new discovery: callbacks of an abandoned attempt see a stale epoch and stop. */
  private attempt = 0;
  private readonly intervalUs: number;
  private readonly tickBound = (): void => this.tick();

  constructor(
    private readonly sim: Simulator,
    private readonly net: Network,
    readonly opts: SentinelClientOptions,
  ) {
    this.order = [...opts.sentinels];
    this.intervalUs = opts.rateHz > 0 ? Math.max(1, Math.round(1e6 / opts.rateHz)) : Infinity;
  }

  start(): void {
    if (!Number.isFinite(this.intervalUs) || this.opts.fromUs >= this.opts.untilUs) return;
    this.sim.at(Math.max(this.opts.fromUs, this.sim.now), () => {
      this.discover();
      this.tick();
    });
  }

  /** The Sentinels in the order the next discovery asks them. */
  get sentinelOrder(): string[] {
    return this.order.map((s) => s.name);
  }

  private get hostObj() {
    return this.net.host(this.opts.host);
  }

  private connection(host: string, port: number): ClientConnection {
    return new ClientConnection(this.sim, this.hostObj, host, port, {
      connectTimeoutUs: this.opts.connectTimeoutUs,
      commandTimeoutUs: this.opts.timeoutUs,
    });
  }

  // ------------------------------------------------------------------ discovery (steps 1, 2)

  private discover(): void {
    if (this.sim.now >= this.opts.untilUs) return;
    const attempt = ++this.attempt;
    this.dropMaster();
    this.state = 'discovering';
    this.ask(attempt, 0);
  }

  private ask(attempt: number, i: number): void {
    if (attempt !== this.attempt) return;
    const s = this.order[i];
    if (s === undefined) {
      this.record('none', '', 'no Sentinel answered');
      this.retryLater(attempt);
      return;
    }
    const conn = this.connection(s.host, s.port);
    conn.call(['SENTINEL', 'get-master-addr-by-name', this.opts.master], (r) => {
      conn.close();
      if (attempt !== this.attempt) return;
      const addr = addressOf(r);
      if (addr === null) {
        this.record(s.name, '', r === null ? 'no reply' : formatReply(r));
        this.ask(attempt, i + 1);
        return;
      }
      // "The first Sentinel that replies goes to the head of the list."
      if (i > 0) this.order.unshift(...this.order.splice(i, 1));
      this.record(s.name, `${addr.host}:${addr.port}`, '');
      if (this.opts.subscribe) this.subscribe(s);
      this.connectMaster(attempt, addr.host, addr.port);
    });
  }

  private record(sentinel: string, address: string, failure: string): void {
    this.sim.record(SENTINEL_CLIENT_DISCOVER, this.opts.host, { sentinel, address, failure, master: this.opts.master });
  }

  private connectMaster(attempt: number, host: string, port: number): void {
    this.state = 'connecting';
    const conn = this.connection(host, port);
    this.master = conn;
    this.masterNode = host;
    conn.onEnd = () => this.lost(conn);
    if (this.opts.db !== 0) conn.call(['SELECT', String(this.opts.db)], () => {});
    if (!this.opts.roleCheck) {
      this.state = 'ready';
      return;
    }
    conn.call(['ROLE'], (r) => {
      if (attempt !== this.attempt || conn !== this.master) return;
      const role = roleOf(r);
      if (role === 'master') {
        this.state = 'ready';
        return;
      }
      this.sim.record('client.role-check', this.opts.host, { node: host, role: role ?? 'no reply' });
      this.dropMaster();
      this.retryLater(attempt);
    });
  }

  private retryLater(attempt: number): void {
    this.state = 'waiting';
    this.sim.after(this.opts.retryDelayUs, () => {
      if (attempt === this.attempt && this.state === 'waiting') this.discover();
    });
  }

  /** The master connection ended (reset, timeout, refused): every reconnection starts at step 1. */
  private lost(conn: ClientConnection): void {
    if (conn !== this.master) return;
    this.master = null;
    const attempt = this.attempt;
    if (this.state === 'connecting') {
      this.retryLater(attempt);
      return;
    }
    this.discover();
  }

  private dropMaster(): void {
    const m = this.master;
    this.master = null;
    m?.close();
  }

  // ------------------------------------------------------------------ +switch-master (step 4)

  private subscribe(s: SentinelAddress): void {
    if (this.sub !== null && !this.sub.isEnded && this.sub.toHost === s.host) return;
    this.sub?.close();
    const sub = this.connection(s.host, s.port);
    this.sub = sub;
    sub.onPush = (r) => this.pushed(r);
    sub.onEnd = () => {
      if (this.sub === sub) this.sub = null;
    };
    sub.send(['SUBSCRIBE', '+switch-master']);
  }

  private pushed(r: Reply): void {
    if (r.type !== 'array' || !r.items || r.items.length !== 3) return;
    const payload = r.items[2]!;
    if (payload.type !== 'bulk' || payload.value === null) return;
    // +switch-master <name> <old ip> <old port> <new ip> <new port>
    const [name, , , newIp] = payload.value.split(' ');
    if (name !== this.opts.master || newIp === this.masterNode) return;
    this.sim.record('client.switch-master', this.opts.host, { to: newIp ?? '' });
    this.discover();
  }

  // ------------------------------------------------------------------ writes

  private tick(): void {
    this.ticks++;
    if (this.inFlight === null && this.state === 'ready' && this.master !== null) this.invoke(this.master);
    const next = this.opts.fromUs + Math.round((this.ticks * 1e6) / this.opts.rateHz);
    if (next < this.opts.untilUs) this.sim.at(Math.max(next, this.sim.now), this.tickBound);
  }

  private invoke(conn: ClientConnection): void {
    const seq = this.seq++;
    const op: InFlight = { seq, key: `${this.opts.keyPrefix}:${seq}`, value: String(seq), node: this.masterNode, invokedUs: this.sim.now, done: false };
    this.inFlight = op;
    this.sim.record(SENTINEL_CLIENT_WRITE, op.node, { key: op.key, value: op.value, db: this.opts.db, client: this.opts.host });
    conn.call(['SET', op.key, op.value], (r) => {
      this.complete(op, r === null ? 'no reply' : formatReply(r));
      if (r !== null && r.type === 'error' && r.text.startsWith('READONLY') && conn === this.master) {
        // A demoted master: this connection points at a replica now.
        this.discover();
      }
    });
  }

  private complete(op: InFlight, reply: string): void {
    if (op.done) return;
    op.done = true;
    if (this.inFlight === op) this.inFlight = null;
    this.completed++;
    if (reply === 'OK') this.acknowledged++;
    this.sim.record(SENTINEL_CLIENT_DONE, op.node, {
      key: op.key,
      value: op.value,
      db: this.opts.db,
      invoked_us: op.invokedUs,
      before: -1,
      woff: -1,
      set: reply,
      wait: '',
      acked: 0,
      wanted: 0,
      client: this.opts.host,
    });
  }
}

/** GET-MASTER-ADDR-BY-NAME's `[ip, port]`, or null (unknown name: a null array; errors; no reply). */
function addressOf(r: Reply | null): { host: string; port: number } | null {
  if (r === null || r.type !== 'array' || !r.items || r.items.length !== 2) return null;
  const [ip, port] = r.items;
  if (ip!.type !== 'bulk' || port!.type !== 'bulk' || ip!.value === null || port!.value === null) return null;
  const p = Number(port!.value);
  return Number.isInteger(p) && p > 0 ? { host: ip!.value, port: p } : null;
}

/** ROLE's first element: master | slave | sentinel. */
function roleOf(r: Reply | null): string | null {
  if (r === null || r.type !== 'array' || !r.items || r.items.length === 0) return null;
  const head = r.items[0]!;
  return head.type === 'bulk' ? head.value : null;
}
