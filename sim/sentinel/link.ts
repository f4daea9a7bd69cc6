/**
 * instanceLink: the command connection (cc) and the pub/sub connection (pc) Sentinel keeps to
 * each instance, as hiredis async contexts (createInstanceLink, sentinelReconnectInstance,
 * instanceLinkCloseConnection, instanceLinkConnectionError, sentinelDisconnectCallback,
 * sentinelSendAuthIfNeeded, sentinelSetClientName).
 *
 * hiredis semantics that matter for timing:
 * - a connection object exists as soon as the non-blocking connect is issued, so the link is
 *   no longer `disconnected` then, not when TCP completes; commands are buffered until it does;
 * - replies are matched to callbacks in order; a connection that closes drops its callbacks;
 * - on the pub/sub connection an error reply with no regular callback pending is fatal
 *   (a refused SUBSCRIBE), which drops `pc`.
 */
import type { Endpoint } from '../net/index.js';
import type { Reply } from '../redis/protocol/index.js';
import { respCommandBytes } from '../redis/protocol/index.js';
import type { ClientMessage as WireMessage } from '../redis/protocol/index.js';
import { SENTINEL_HELLO_CHANNEL } from './config.js';
import { SRI_MASTER, SRI_SLAVE, type SentinelRedisInstance } from './instance.js';
import type { SentinelProcess } from './sentinel.js';

export type ReplyHandler = (s: SentinelProcess, ri: SentinelRedisInstance, reply: Reply) => void;

/** One hiredis async context: buffered output until connected, FIFO reply callbacks. */
export class LinkConnection {
  readonly ep: Endpoint;
  open = false;
  private outbox: WireMessage[] | null = [];
  private outboxBytes: number[] = [];
  private readonly callbacks: (ReplyHandler | null)[] = [];
  private head = 0;

  constructor(ep: Endpoint) {
    this.ep = ep;
  }

  send(msg: WireMessage, bytes: number, cb: ReplyHandler | null): void {
    this.callbacks.push(cb);
    this.write(msg, bytes);
  }

  /** A command whose answers are pushes (SUBSCRIBE): no regular callback is queued, as in hiredis. */
  write(msg: WireMessage, bytes: number): void {
    if (this.open) this.ep.send(bytes, msg);
    else {
      this.outbox!.push(msg);
      this.outboxBytes.push(bytes);
    }
  }

  /** The TCP handshake completed: hiredis writes what was queued. */
  connected(): void {
    this.open = true;
    const box = this.outbox!;
    for (let i = 0; i < box.length; i++) this.ep.send(this.outboxBytes[i]!, box[i]!);
    this.outbox = null;
    this.outboxBytes = [];
  }

  /** The callback of the oldest unanswered command (undefined if none). */
  shift(): ReplyHandler | null | undefined {
    if (this.head >= this.callbacks.length) return undefined;
    const cb = this.callbacks[this.head]!;
    this.callbacks[this.head++] = null;
    if (this.head > 64 && this.head * 2 > this.callbacks.length) {
      this.callbacks.splice(0, this.head);
      this.head = 0;
    }
    return cb;
  }

  close(): void {
    this.ep.close();
  }
}

/** A PING as a prebuilt wire message: sent every second to every instance, so not reallocated. */
const PING_MSG: WireMessage = { t: 'cmd', argv: ['PING'] };
const PING_BYTES = respCommandBytes(['PING']);
const INFO_MSG: WireMessage = { t: 'cmd', argv: ['INFO'] };
const INFO_BYTES = respCommandBytes(['INFO']);

export class InstanceLink {
  refcount = 1;
  disconnected = true;
  pendingCommands = 0;
  cc: LinkConnection | null = null;
  pc: LinkConnection | null = null;
  ccConnTime = 0;
  pcConnTime = 0;
  pcLastActivity = 0;
  // Starting values although the constructor sets them: see SentinelRedisInstance's times.
  lastAvailTime = 0;
  actPingTime = 0;
  lastPingTime = 0;
  lastPongTime = 0;
  lastReconnTime = 0;

  constructor(now: number) {
    this.lastAvailTime = now;
    // "So that an instance never reachable is timed out": a new instance starts with a pending PING.
    this.actPingTime = now;
    this.lastPongTime = now;
  }

  /**
   * Sends `argv` on cc and counts it in pending_commands; false when there is no cc. `bytes`
   * is its RESP size when the caller knows it already (a hello reused, hello.ts).
   */
  command(s: SentinelProcess, ri: SentinelRedisInstance, argv: readonly string[], cb: ReplyHandler | null, bytes = -1): boolean {
    const cc = this.cc;
    if (cc === null) return false;
    cc.send({ t: 'cmd', argv: argv as string[] }, bytes >= 0 ? bytes : respCommandBytes(argv), cb ?? discardReply);
    this.pendingCommands++;
    return true;
  }

  ping(cb: ReplyHandler): boolean {
    const cc = this.cc;
    if (cc === null) return false;
    cc.send(PING_MSG, PING_BYTES, cb);
    this.pendingCommands++;
    return true;
  }

  info(cb: ReplyHandler): boolean {
    const cc = this.cc;
    if (cc === null) return false;
    cc.send(INFO_MSG, INFO_BYTES, cb);
    this.pendingCommands++;
    return true;
  }

  /** instanceLinkCloseConnection */
  closeConnection(which: 'cc' | 'pc'): void {
    const c = which === 'cc' ? this.cc : this.pc;
    if (c === null) return;
    if (which === 'cc') {
      this.cc = null;
      this.pendingCommands = 0;
    } else this.pc = null;
    c.close();
    this.disconnected = true;
  }

  /** releaseInstanceLink: the instance is gone; its connections go with it. */
  release(): void {
    this.closeConnection('cc');
    this.closeConnection('pc');
  }
}

/** sentinelDiscardReplyCallback: only the pending count moves. */
export function discardReply(_s: SentinelProcess, ri: SentinelRedisInstance, _r: Reply): void {
  ri.link.pendingCommands--;
}

/**
 * sentinelReconnectInstance: at most one attempt per ping-period; creates the missing
 * connections and queues AUTH, CLIENT SETNAME and a PING (cc) or SUBSCRIBE (pc) at once.
 */
export function sentinelReconnectInstance(s: SentinelProcess, ri: SentinelRedisInstance, now: number): void {
  const link = ri.link;
  if (!link.disconnected || ri.port === 0) return;
  if (now - link.lastReconnTime < s.timings.pingPeriodMs) return;
  link.lastReconnTime = now;
  if (link.cc === null) {
    link.cc = openConnection(s, ri, link, 'cc');
    link.pendingCommands = 0;
    link.ccConnTime = now;
    sendAuthIfNeeded(s, ri, link.cc);
    setClientName(s, ri, link.cc, 'cmd');
    sentinelSendPing(s, ri, now);
  }
  if (ri.flags & (SRI_MASTER | SRI_SLAVE) && link.pc === null) {
    link.pc = openConnection(s, ri, link, 'pc');
    link.pcConnTime = now;
    sendAuthIfNeeded(s, ri, link.pc);
    setClientName(s, ri, link.pc, 'pubsub');
    const argv = ['SUBSCRIBE', SENTINEL_HELLO_CHANNEL];
    // The SUBSCRIBE's answers are pushes, read by the pub/sub handler, not a regular callback.
    link.pc.write({ t: 'cmd', argv }, respCommandBytes(argv));
  }
  if (link.cc !== null && (!(ri.flags & (SRI_MASTER | SRI_SLAVE)) || link.pc !== null)) link.disconnected = false;
}

function openConnection(s: SentinelProcess, ri: SentinelRedisInstance, link: InstanceLink, which: 'cc' | 'pc'): LinkConnection {
  let conn: LinkConnection | null = null;
  const ep = s.host.connect(ri.host, ri.port, {
    onConnect: () => conn!.connected(),
    onError: () => connectionError(link, conn!, which),
  });
  conn = new LinkConnection(ep);
  const c = conn;
  ep.onClose = () => connectionError(link, c, which);
  ep.onData = which === 'cc' ? (payload) => ccData(s, ri, link, c, payload as WireMessage) : (payload) => pcData(s, ri, link, c, payload as WireMessage);
  return conn;
}

/** instanceLinkConnectionError / sentinelDisconnectCallback: the context is gone; retry later. */
function connectionError(link: InstanceLink, conn: LinkConnection, which: 'cc' | 'pc'): void {
  if (which === 'cc' && link.cc === conn) {
    link.cc = null;
    link.pendingCommands = 0;
    link.disconnected = true;
  } else if (which === 'pc' && link.pc === conn) {
    link.pc = null;
    link.disconnected = true;
  }
}

function ccData(s: SentinelProcess, ri: SentinelRedisInstance, link: InstanceLink, conn: LinkConnection, msg: WireMessage): void {
  if (link.cc !== conn || msg.t !== 'reply') return;
  const cb = conn.shift();
  if (cb === undefined || cb === null) return;
  cb(s, ri, msg.reply);
}

function pcData(s: SentinelProcess, ri: SentinelRedisInstance, link: InstanceLink, conn: LinkConnection, msg: WireMessage): void {
  if (link.pc !== conn || msg.t !== 'reply') return;
  const r = msg.reply;
  // hiredis redisProcessCallbacks: pending regular callbacks (AUTH, SETNAME) get replies first.
  const cb = conn.shift();
  if (cb !== undefined) {
    if (cb !== null) cb(s, ri, r);
    return;
  }
  // No regular callback: an error is fatal to the context (e.g. -NOAUTH for the SUBSCRIBE).
  if (r.type === 'error') {
    link.closeConnection('pc');
    return;
  }
  // sentinelReceiveHelloMessages: any push counts as activity.
  link.pcLastActivity = s.mstime();
  s.receiveHello(ri, r);
}

/** sentinelSendAuthIfNeeded (table 3.1): the master's auth-pass for masters and replicas, sentinel-pass for Sentinels. */
function sendAuthIfNeeded(s: SentinelProcess, ri: SentinelRedisInstance, c: LinkConnection): void {
  let user: string | null = null;
  let pass: string | null = null;
  if (ri.isMaster) {
    user = ri.authUser;
    pass = ri.authPass;
  } else if (ri.isSlave) {
    user = ri.master!.authUser;
    pass = ri.master!.authPass;
  } else {
    user = s.globals.sentinelUser;
    pass = s.globals.sentinelPass;
  }
  if (pass === null) return;
  const argv = user === null ? ['AUTH', pass] : ['AUTH', user, pass];
  c.send({ t: 'cmd', argv }, respCommandBytes(argv), discardReply);
  ri.link.pendingCommands++;
}

/** sentinelSetClientName: "sentinel-<first 8 chars of myid>-<cmd|pubsub>". */
function setClientName(s: SentinelProcess, ri: SentinelRedisInstance, c: LinkConnection, type: string): void {
  const argv = ['CLIENT', 'SETNAME', `sentinel-${s.myid.slice(0, 8)}-${type}`];
  c.send({ t: 'cmd', argv }, respCommandBytes(argv), discardReply);
  ri.link.pendingCommands++;
}

/** sentinelSendPing: the first unanswered PING starts the SDOWN clock (act_ping_time). */
export function sentinelSendPing(s: SentinelProcess, ri: SentinelRedisInstance, now: number): boolean {
  const link = ri.link;
  if (!link.ping(s.pingReplyHandler)) return false;
  link.lastPingTime = now;
  if (link.actPingTime === 0) link.actPingTime = now;
  return true;
}
