/**
 * Hello messages: sentinelSendHello (PUBLISH __sentinel__:hello on every instance's command
 * connection), sentinelPublishReplyCallback, sentinelReceiveHelloMessages (the pub/sub
 * connection), sentinelProcessHelloMessage (discovery of Sentinels, epoch adoption, and the
 * observer's config switch: +config-update-from, +switch-master) and
 * sentinelForceHelloUpdateForMaster.
 */
import type { Reply } from '../redis/protocol/index.js';
import { respCommandBytes } from '../redis/protocol/index.js';
import { SENTINEL_HELLO_CHANNEL } from './config.js';
import { sentinelEvent } from './events.js';
import { SRI_MASTER, type SentinelRedisInstance } from './instance.js';
import { createSentinel, releaseInstance, sentinelResetMasterAndChangeAddress } from './registry.js';
import { currentMasterAddress, type SentinelProcess } from './sentinel.js';

/**
 * The payload of the last hello sent to one instance and the PUBLISH's RESP size. Every
 * Sentinel sends the same text to every instance every 2 s; it changes only with an epoch,
 * a failover or an announce option, so it is rebuilt only when one of its eight fields differs.
 */
export class HelloText {
  ip = '';
  port = 0;
  myid = '';
  currentEpoch = 0;
  masterName = '';
  masterHost = '';
  masterPort = 0;
  masterConfigEpoch = 0;
  payload = '';
  /** respCommandBytes of PUBLISH __sentinel__:hello <payload>. */
  bytes = 0;

  /** Is the payload the one these fields give? */
  matches(ip: string, port: number, myid: string, currentEpoch: number, m: SentinelRedisInstance, masterHost: string, masterPort: number): boolean {
    return (
      this.ip === ip &&
      this.port === port &&
      this.myid === myid &&
      this.currentEpoch === currentEpoch &&
      this.masterName === m.name &&
      this.masterHost === masterHost &&
      this.masterPort === masterPort &&
      this.masterConfigEpoch === m.configEpoch
    );
  }
}

/** sentinelSendHello: last_pub_time moves only when the PUBLISH is acknowledged. */
export function sentinelSendHello(s: SentinelProcess, ri: SentinelRedisInstance, _now: number): boolean {
  const link = ri.link;
  if (link.disconnected || link.cc === null) return false;
  const m = ri.isMaster ? ri : ri.master!;
  const addr = currentMasterAddress(m);
  const masterHost = addr.host;
  const masterPort = addr.port;
  // announce-ip (even an empty one, which SENTINEL CONFIG SET can leave), else the local
  // address of this link's socket: the Sentinel's host name here.
  const ip = s.globals.announceIp ?? link.cc.ep.localHost;
  const port = s.globals.announcePort || s.config.port;
  let h = ri.helloText;
  if (h === null || !h.matches(ip, port, s.myid, s.currentEpoch, m, masterHost, masterPort)) {
    h = ri.helloText ??= new HelloText();
    h.ip = ip;
    h.port = port;
    h.myid = s.myid;
    h.currentEpoch = s.currentEpoch;
    h.masterName = m.name;
    h.masterHost = masterHost;
    h.masterPort = masterPort;
    h.masterConfigEpoch = m.configEpoch;
    h.payload = `${ip},${port},${s.myid},${s.currentEpoch},${m.name},${masterHost},${masterPort},${m.configEpoch}`;
    h.bytes = respCommandBytes(['PUBLISH', SENTINEL_HELLO_CHANNEL, h.payload]);
  }
  return link.command(s, ri, ['PUBLISH', SENTINEL_HELLO_CHANNEL, h.payload], sentinelPublishReplyCallback, h.bytes);
}

function sentinelPublishReplyCallback(s: SentinelProcess, ri: SentinelRedisInstance, r: Reply): void {
  ri.link.pendingCommands--;
  if (r.type !== 'error') ri.lastPubTime = s.mstime();
}

/** sentinelReceiveHelloMessages: only 3-element `message` pushes not carrying our own id. */
export function sentinelReceiveHelloMessages(s: SentinelProcess, _ri: SentinelRedisInstance, r: Reply): void {
  if (r.type !== 'array' || r.items === null || r.items.length !== 3) return;
  const [kind, , payload] = r.items as [Reply, Reply, Reply];
  if (kind.type !== 'bulk' || kind.value !== 'message' || payload.type !== 'bulk' || payload.value === null) return;
  if (payload.value.includes(s.myid)) return;
  sentinelProcessHelloMessage(s, payload.value);
}

function findSentinel(m: SentinelRedisInstance, host: string, port: number, runid: string | null): SentinelRedisInstance | null {
  for (const si of m.sentinels.values()) {
    if (runid !== null && si.runid !== runid) continue;
    if (si.host === host && si.port === port) return si;
  }
  return null;
}

/** removeMatchingSentinelFromMaster: drop the Sentinel with this runid; true if there was one. */
function removeMatchingSentinel(m: SentinelRedisInstance, runid: string): boolean {
  let removed = false;
  for (const [k, si] of m.sentinels) {
    if (si.runid === runid) {
      releaseInstance(si);
      m.sentinels.delete(k);
      removed = true;
    }
  }
  return removed;
}

/** hello.startsWith(`${host},${port},`) without building that string for every hello received. */
function startsWithAddress(hello: string, host: string, port: number): boolean {
  const p = String(port);
  const at = host.length + 1;
  return hello.startsWith(host) && hello.charCodeAt(host.length) === COMMA && hello.startsWith(p, at) && hello.charCodeAt(at + p.length) === COMMA;
}
const COMMA = 0x2c;

export function sentinelProcessHelloMessage(s: SentinelProcess, hello: string): void {
  // Every Sentinel repeats the same hello every 2 s on every instance. Once processed, the
  // same text changes nothing but last_hello_time (epochs only grow, and the sender is known
  // at that address): skip the parse while the sender is still the one we recorded.
  const seen = s.helloSeen.get(hello);
  if (
    seen !== undefined &&
    seen.master!.sentinels.get(seen.name) === seen &&
    s.masters.get(seen.master!.name) === seen.master &&
    startsWithAddress(hello, seen.host, seen.port)
  ) {
    seen.lastHelloTime = s.mstime();
    return;
  }
  const token = hello.split(',');
  if (token.length !== 8) return;
  const m = s.masters.get(token[4]!);
  if (m === undefined) return;
  const now = s.mstime();
  const ip = token[0]!;
  const port = Number.parseInt(token[1]!, 10);
  const runid = token[2]!;
  const currentEpoch = Number.parseInt(token[3]!, 10);
  const masterHost = token[5]!;
  const masterPort = Number.parseInt(token[6]!, 10);
  const masterConfigEpoch = Number.parseInt(token[7]!, 10);

  const si = helloSender(s, m, ip, port, runid, now);

  if (currentEpoch > s.currentEpoch) {
    s.currentEpoch = currentEpoch;
    s.flushConfig();
    sentinelEvent(s, 'warning', '+new-epoch', null, String(currentEpoch));
  }

  if (si === null) return;
  if (m.configEpoch < masterConfigEpoch) {
    m.configEpoch = masterConfigEpoch;
    if (masterPort !== m.port || masterHost.toLowerCase() !== m.host.toLowerCase()) {
      sentinelEvent(s, 'warning', '+config-update-from', si);
      sentinelEvent(s, 'warning', '+switch-master', null, `${m.name} ${m.host} ${m.port} ${masterHost} ${masterPort}`);
      sentinelResetMasterAndChangeAddress(s, m, masterHost, masterPort, now);
    }
  }
  si.lastHelloTime = now;
  if (s.helloSeen.size > 1024) s.helloSeen.clear();
  s.helloSeen.set(hello, si);
}

/**
 * The first half of sentinelProcessHelloMessage: the Sentinel the hello comes from, found by
 * address and runid, else re-created (+sentinel, or +sentinel-address-switch when the runid
 * was known at another address); null when its address cannot be resolved.
 */
function helloSender(s: SentinelProcess, m: SentinelRedisInstance, ip: string, port: number, runid: string, now: number): SentinelRedisInstance | null {
  // Every address of the model is a host name that resolves, except the empty string, which a
  // Sentinel announces after SENTINEL CONFIG SET announce-ip "": createSentinelAddr fails on
  // it at each lookup (getSentinelRedisInstanceByAddrAndRunID, createSentinelRedisInstance).
  const resolvable = ip !== '';
  const unresolved = (): null => {
    s.sim.record('sentinel.log', s.name, { msg: `Failed to resolve hostname '${ip}'` });
    return null;
  };
  let si = resolvable ? findSentinel(m, ip, port, runid) : unresolved();
  if (si === null) {
    const removed = removeMatchingSentinel(m, runid);
    if (removed) {
      sentinelEvent(s, 'notice', '+sentinel-address-switch', m, `ip ${ip} port ${port} for ${runid}`);
    } else {
      const other = resolvable ? findSentinel(m, ip, port, null) : unresolved();
      if (other !== null) {
        sentinelEvent(s, 'notice', '+sentinel-invalid-addr', other);
        const stale = other.runid!;
        for (const mm of s.masters.values()) removeMatchingSentinel(mm, stale);
      }
    }
    // An unresolvable sender is not added back: its old entry is gone, so it is forgotten.
    si = resolvable ? createSentinel(s, m, ip, port, runid, now) : unresolved();
    if (si !== null) {
      if (!removed) sentinelEvent(s, 'notice', '+sentinel', si);
      else sentinelUpdateSentinelAddressInAllMasters(s, si);
      s.flushConfig();
    }
  }
  return si;
}

/** sentinelUpdateSentinelAddressInAllMasters: the same runid under other masters gets the new address. */
function sentinelUpdateSentinelAddressInAllMasters(s: SentinelProcess, si: SentinelRedisInstance): void {
  let reconfigured = 0;
  for (const m of s.masters.values()) {
    const other = m.sentinels.get(si.runid!);
    if (other === undefined || other === si || (other.host === si.host && other.port === si.port)) continue;
    other.link.release();
    other.host = si.host;
    other.port = si.port;
    reconfigured++;
  }
  if (reconfigured > 0) sentinelEvent(s, 'notice', '+sentinel-address-update', si, `${reconfigured} additional matching instances`);
}

/** sentinelForceHelloUpdateForMaster: push every last_pub_time back so hellos go out next tick. */
export function sentinelForceHelloUpdateForMaster(s: SentinelProcess, m: SentinelRedisInstance): void {
  if (!(m.flags & SRI_MASTER)) return;
  const back = s.timings.publishPeriodMs + 1;
  if (m.lastPubTime >= back) m.lastPubTime -= back;
  for (const r of m.sentinels.values()) if (r.lastPubTime >= back) r.lastPubTime -= back;
  for (const r of m.slaves.values()) if (r.lastPubTime >= back) r.lastPubTime -= back;
}
