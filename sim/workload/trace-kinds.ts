/** The trace records the simulated clients write (node = the server they talk to): kind → fields. */
declare module '../engine/trace.js' {
  interface TraceKinds {
    /** An acknowledged-write client sent a SET (the invocation). */
    'client.write': { key: string; value: string; db: number; client?: string };
    /** …and WAIT answered: `acked` of `wanted` replicas hold it (the completion). */
    'client.acked-write': {
      key: string;
      value: string;
      db: number;
      invoked_us: number;
      before: number;
      woff: number;
      set: string;
      wait: string;
      acked: number;
      wanted: number;
      /** A Sentinel-aware client's host (its writes are judged by check/sentinel-losses.ts). */
      client?: string;
    };
    /** A Sentinel-aware client asked a Sentinel for the master (SENTINEL GET-MASTER-ADDR-BY-NAME). */
    'client.discover': { sentinel: string; address: string; failure: string; master: string };
    /** …and the address it got did not answer ROLE as a master. */
    'client.role-check': { node: string; role: string };
    /** …or a +switch-master message moved it to another master. */
    'client.switch-master': { to: string };
  }
}
export {};
