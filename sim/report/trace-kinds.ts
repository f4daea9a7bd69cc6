/** Records the report's collector adds beside the trace records it keeps (never hashed): kind → fields. */
declare module '../engine/trace.js' {
  interface TraceKinds {
    /** node = a replica: it reached `target`, its master's offset when its link came up. */
    'obs.caught-up': { offset: number; target: number };
    /** Every replica had caught up with the fault that started at from_us. */
    'obs.recovered': { from_us: number };
  }
}
export {};
