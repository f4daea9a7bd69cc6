/**
 * The trace records the scenario runner writes: the timeline's faults as applied (the
 * nemesis), scripted client commands, liveness, triggers and the final state. kind → fields.
 */
declare module '../engine/trace.js' {
  interface TraceKinds {
    // timeline actions (node = the node acted on, none for network-wide faults)
    'client.command': { command: string };
    'client.reply': { command: string; reply: string };
    'fault.write-burst': { count: number; value_size: number };
    'fault.kill-link': {};
    'fault.partition': { groups: string };
    'fault.partition-one-way': { from: string; to: string };
    'fault.heal': {};
    'fault.pause': { for_us: number };
    'fault.resume': {};
    'fault.crash': {};
    'fault.power-loss': {};
    'fault.restart': {};
    'fault.latency': { between: string; add_us: number; for_us: number };
    'fault.swizzle': { links: string; for_us: number; add_us: number };
    'fault.disk': { full: boolean; fail_bgsaves: number; bytes_per_sec: number };
    'fault.clock': { skew_us: number; jump_us: number; drift_ppm: number };
    'dataset.populate': { db: number; keys: number; value_size: number };
    'trigger.fired': { when: string; line: number };
    // the liveness phase: heal everything, then demand convergence within the bound
    'liveness.heal-all': { healed: string };
    'liveness.converged': { after_us: number; bound_us: number };
    'liveness.not-converged': { bound_us: number; problem: string };
    'final.node': { role: string; offset: number; replid: string; digest: string; keys: number };
    /** A Sentinel's view of each master it monitors at the end (SENTINEL MASTER's fields). */
    'final.sentinel': { master: string; address: string; flags: string; config_epoch: string };
  }
}
export {};
