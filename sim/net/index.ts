/**
 * The network layer's public API: TCP as an application sees it.
 *
 * Trace records it writes (never one per packet):
 *   net.partition {id, groups: "a,b|c"}   net.partition.oneway {id, from, to}
 *   net.heal {id}   net.heal.all {count}   net.clog {a, b, extraUs, durationUs}
 *   net.loss {a, b, probability, rtoUs}
 *   node=host: net.crash, net.restart, net.pause, net.resume
 *   node=local host: net.connect {conn, to, port}, net.connect.fail {conn, to, port, reason},
 *                    net.close {conn, peer}, net.reset {conn, peer, cause: 'reset' | 'crash'},
 *                    net.timeout {conn, peer} (retransmissions gave up: ETIMEDOUT)
 */
export { Network, TCP_SEND_BUFFER_BYTES, TCP_RECEIVE_BUFFER_BYTES, type NetworkOptions, type LinkOverride } from './network.js';
export { TCP_RTO_MIN_US, TCP_RTO_MAX_US, TCP_RETRANSMIT_BUDGET_US, initialRtoUs, retransmissionAtOrAfter } from './retransmit.js';
export { Host } from './host.js';
export {
  Endpoint,
  type EndpointState,
  type CloseReason,
  type ConnectError,
  type ConnectHandlers,
} from './connection.js';
export { sampleLatency, latencyModelProblem, type LatencyModel } from './latency.js';
export { SYN_RETRANSMIT_AT_US, SYN_GIVE_UP_AT_US } from './handshake.js';
export { PartitionTable } from './partition.js';
