/**
 * TCP connection establishment, as Linux does it from the client's side.
 *
 * SYN then SYN-ACK: the server's onAccept runs when the SYN arrives (one latency), the
 * client's onConnect when the SYN-ACK arrives (a round trip). A SYN to a host that is down
 * or not listening is answered by an RST: onError('refused') after a round trip.
 *
 * Handshake packets are not queued like data: one that meets a partition is simply lost,
 * and the client retransmits its SYN with Linux's exponential backoff (initial RTO 1 s,
 * tcp_syn_retries = 6): at 1, 3, 7, 15, 31 and 63 s after the first, giving up at 127 s
 * with ETIMEDOUT. So after a heal, a connect completes at the next retransmission.
 */
import { sec } from '../engine/index.js';
import { Connection, deliverSegment, type ConnectHandlers, type Endpoint } from './connection.js';
import type { Host } from './host.js';
import type { Network } from './network.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

/** When SYN retransmissions leave, measured from the first SYN. */
export const SYN_RETRANSMIT_AT_US: readonly number[] = [1, 3, 7, 15, 31, 63].map(sec);
/** When a connect whose SYNs all went unanswered fails with 'timeout'. */
export const SYN_GIVE_UP_AT_US = sec(127);

export function startConnect(net: Network, client: Host, toHost: string, port: number, handlers: ConnectHandlers): Endpoint {
  const conn = new Connection(net, client, toHost, port, handlers, net._allocEndpointIds());
  client._endpoints.add(conn.client);
  if (net.hostOrUndefined(toHost) === undefined) {
    // No such host: no route, reported from the next event rather than inside connect().
    conn.timer = net.sim.after(0, unreachable, conn);
    return conn.client;
  }
  sendSyn(conn);
  conn.timer = net.sim.at(conn.startUs + SYN_RETRANSMIT_AT_US[0]!, retransmit, conn);
  return conn.client;
}

function unreachable(conn: Connection): void {
  conn.timer = -1;
  conn.fail('unreachable');
}

function stillConnecting(conn: Connection): boolean {
  return conn.client._state === 'connecting' && !conn.opening;
}

function retransmit(conn: Connection): void {
  conn.timer = -1;
  if (!stillConnecting(conn)) return;
  if (conn.retransmits >= SYN_RETRANSMIT_AT_US.length) {
    conn.fail('timeout');
    return;
  }
  sendSyn(conn);
  conn.retransmits++;
  const nextAt = SYN_RETRANSMIT_AT_US[conn.retransmits] ?? SYN_GIVE_UP_AT_US;
  conn.timer = conn.net.sim.at(conn.startUs + nextAt, retransmit, conn);
}

function sendSyn(conn: Connection): void {
  conn.net.sim.after(conn.link.delay(conn.net.sim.now, conn.net.rng), synArrives, conn);
}

function synArrives(conn: Connection): void {
  const net = conn.net;
  if (!stillConnecting(conn)) return;
  if (net.isBlocked(conn.client.localHost, conn.server.localHost)) return; // lost; retransmitted later
  if (conn.accepted) {
    // A retransmitted SYN after our SYN-ACK was lost: answer it again.
    reply(conn, synAckArrives);
    return;
  }
  const server = net.host(conn.server.localHost);
  const onAccept = server.up ? server._listener(conn.port) : undefined;
  if (onAccept === undefined) {
    reply(conn, refusalArrives);
    return;
  }
  conn.accepted = true;
  conn.acceptFn = onAccept;
  const ep = conn.server;
  ep._host = server;
  ep._state = 'open';
  server._endpoints.add(ep);
  // The kernel completes the handshake even for a paused process; accept() runs on resume.
  server._notify(deliverAccept, conn);
  reply(conn, synAckArrives);
}

function reply(conn: Connection, onArrival: (conn: Connection) => void): void {
  const sim = conn.net.sim;
  sim.after(conn.link.delay(sim.now, conn.net.rng), onArrival, conn);
}

function deliverAccept(conn: Connection): void {
  if (conn.server._state === 'open') conn.acceptFn!(conn.server);
}

function synAckArrives(conn: Connection): void {
  if (!stillConnecting(conn)) return;
  if (conn.net.isBlocked(conn.server.localHost, conn.client.localHost)) return; // lost
  conn.opening = true;
  conn.stopTimer();
  conn.client._host!._notify(completeConnect, conn);
}

function completeConnect(conn: Connection): void {
  const ep = conn.client;
  if (ep._state !== 'connecting') return;
  ep._state = 'open';
  conn.net.sim.record('net.connect', ep.localHost, { conn: ep.id, to: ep.remoteHost, port: conn.port });
  conn.handlers.onConnect(ep);
  // Anything the server sent while our SYN-ACK was stalled, in order, after onConnect.
  if (ep._state === 'open') for (const seg of ep._in!.arrivedSegments()) ep._host!._notify(deliverSegment, seg);
}

function refusalArrives(conn: Connection): void {
  if (!stillConnecting(conn)) return;
  if (conn.net.isBlocked(conn.server.localHost, conn.client.localHost)) return; // lost
  conn.fail('refused');
}
