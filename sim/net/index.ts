/** The network layer's public API: TCP as an application sees it. */
export { Network, type NetworkOptions, type LinkOverride } from './network.js';
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
