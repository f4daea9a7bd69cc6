/**
 * The network layer's public API: TCP as an application sees it. The trace records it
 * writes (never one per packet) are declared, with their fields, in trace-kinds.ts.
 */
export { Network, TCP_SEND_BUFFER_BYTES, TCP_RECEIVE_BUFFER_BYTES, type NetworkOptions, type LinkOverride } from './network.js';
export { TCP_RTO_MIN_US, TCP_RTO_MAX_US, TCP_RETRANSMIT_BUDGET_US, initialRtoUs, retransmissionAtOrAfter } from './retransmit.js';
export { Host } from './host.js';
export {
  Endpoint,
  heldForEndpoint,
  type EndpointState,
  type CloseReason,
  type ConnectError,
  type ConnectHandlers,
} from './connection.js';
export { sampleLatency, latencyModelProblem, type LatencyModel } from './latency.js';
export { SYN_RETRANSMIT_AT_US, SYN_GIVE_UP_AT_US } from './handshake.js';
export { PartitionTable } from './partition.js';
