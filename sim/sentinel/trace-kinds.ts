/**
 * The trace records a Sentinel writes: kind → fields. node = the Sentinel's name.
 */
declare module '../engine/trace.js' {
  interface TraceKinds {
    /** A Sentinel process starts (sentinelIsRunning): its port and run id. */
    'sentinel.boot': { port: number; myid: string };
    /** The Sentinel process dies (a scenario crash). */
    'sentinel.crash': {};
    /** sentinelEvent: the event type (+sdown, +odown, +switch-master …) and its message. */
    'sentinel.event': { type: string; msg: string };
    /** serverLog lines that are not events (a user FAILOVER, the next failover delay). */
    'sentinel.log': { msg: string };
  }
}

export {};
