/** The workload layer's public API: simulated clients that write and read through RESP sessions. */
export { AckedWriter, type AckedWriterSpec } from './acked-writer.js';
export { type KeyDistributionSpec } from './key-distribution.js';
export { OpenLoopClient, type OpenLoopSpec, type WorkloadCounters, type WorkloadOpName } from './open-loop.js';
export { MonitorReplayClient, type ReplayCounters, type ReplaySpec } from './monitor-replay.js';
export { parseMonitorCapture } from './monitor-capture.js';
export { SentinelClient, type SentinelClientOptions } from './sentinel-client.js';
