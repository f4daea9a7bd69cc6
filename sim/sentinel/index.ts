/**
 * The Sentinel layer's public API (sentinel.c 7.0.15 as a simulated process).
 *
 *   const s = new SentinelProcess({ sim, net, epochMs }, 's1', parseSentinelConf(text) or a SentinelConfig);
 *   s.boot();                          // listens on config.port (26379), arms the 10–19 Hz timer
 *   s.crash(); s.restart(); s.pause(); s.resume(); s.adjustClock({ skewMs, jumpMs, driftPpm }); s.alive
 *   s.sentinelCall(['SENTINEL', 'failover', 'mymaster'], (reply) => …)   // in-process command, same as the wire
 *   s.masterState('mymaster')          // SENTINEL MASTER fields as { name, ip, port, flags, config-epoch, … } | null
 *   s.masterAddress('mymaster')        // GET-MASTER-ADDR-BY-NAME as { host, port } | null
 *   s.currentEpoch, s.tilt, s.myid     // read-only by convention
 *   s.onEvent = (type, msg) => …       // every event, after it is traced and published
 *
 * Trace records (node = the Sentinel's name): sentinel.boot {port, myid}, sentinel.crash,
 * sentinel.event {type, msg} for every event sentinelEvent (sentinel.c) emits, with its exact payload, sentinel.log {msg}
 * for the few log lines without an event, clock.change.
 *
 * Sentinel speaks to Redis only over the simulated network: RESP commands as
 * { t: 'cmd', argv } and replies as { t: 'reply', reply } (redis/wire.ts), INFO parsed as
 * text, hellos through PUBLISH/SUBSCRIBE on __sentinel__:hello.
 *
 * Modelling notes: one link per instance (no connection sharing between masters: the
 * refcount is always 1, which only matters with several masters monitored by the same
 * Sentinels); scripts (PENDING-SCRIPTS is always empty), rename-command and TLS are not
 * modelled; resolve-hostnames / announce-hostnames are kept by SENTINEL CONFIG but change
 * nothing, since every address of the model is a host name acting as its own IP.
 */
export { SentinelProcess, currentMasterAddress, type SentinelEnv, type PersistedSentinelState } from './sentinel.js';
export {
  parseSentinelConf,
  defaultSentinelConfig,
  defaultSentinelTimings,
  monitoredMaster,
  SentinelConfigError,
  SENTINEL_DEFAULT_PORT,
  SENTINEL_HELLO_CHANNEL,
  type SentinelConfig,
  type SentinelMasterConfig,
  type SentinelTimings,
} from './config.js';
export { FAILOVER_STATE_NAMES } from './instance.js';
export { SENTINEL_DEBUG_PARAMS } from './config.js';
export { SRI_O_DOWN, SRI_S_DOWN } from './instance.js';
export { promotionCandidates } from './select-replica.js';
export { SENTINEL_PLANTED_BUGS, isSentinelPlantedBug, type SentinelPlantedBug } from './planted-bugs.js';
