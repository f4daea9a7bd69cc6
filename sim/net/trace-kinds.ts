/**
 * The trace records the network writes (never one per packet): kind → fields. Hosts appear
 * as `node` on host and connection records; partitions and links have no node.
 */
import type { ConnectError } from './connection.js';

declare module '../engine/trace.js' {
  interface TraceKinds {
    'net.partition': { id: number; groups: string };
    'net.partition.oneway': { id: number; from: string; to: string };
    'net.heal': { id: number };
    'net.heal.all': { count: number };
    'net.clog': { a: string; b: string; extraUs: number; durationUs: number };
    'net.loss': { a: string; b: string; probability: number; rtoUs: number };
    // node = the host
    'net.crash': {};
    'net.power-off': {};
    'net.restart': {};
    'net.pause': {};
    'net.resume': {};
    // node = the local host of the connection
    'net.connect': { conn: number; to: string; port: number };
    'net.connect.fail': { conn: number; to: string; port: number; reason: ConnectError };
    'net.close': { conn: number; peer: string };
    'net.reset': { conn: number; peer: string; cause: 'reset' | 'crash' | 'unknown-connection' };
    'net.vanish': { conn: number; peer: string };
    /** tcp_write_err: retransmissions gave up (ETIMEDOUT); the peer hears nothing. */
    'net.timeout': { conn: number; peer: string };
  }
}
