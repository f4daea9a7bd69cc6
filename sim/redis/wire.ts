/**
 * What travels on a connection between simulated Redis processes. Each message carries
 * its byte length separately (Endpoint.send(bytes, payload)), computed from the RESP it
 * stands for, so offsets and bandwidth are exact while nothing is serialized.
 */
import type { ClientMessage } from './protocol/resp.js';
import type { StreamUnit } from './replication-buffer.js';
import type { RdbImage } from './data/rdb.js';

export type WireMessage =
  /** A command, or a reply to one (protocol/resp.ts: what any RESP peer, Sentinel too, sends). */
  | ClientMessage
  /** Replication stream bytes: whole propagation units. */
  | { t: 'stream'; units: StreamUnit[] }
  /** Replication stream bytes: one unit alone (the unit object itself, { t: 'unit', … }). */
  | StreamUnit
  /** The raw "\n" keepalive (not part of the stream offsets). */
  | { t: 'newline' }
  /** "$<len>\r\n" (disk target) or "$EOF:<40 bytes mark>\r\n" (diskless). */
  | { t: 'rdb-begin'; eof: boolean; size: number }
  /** Payload bytes; the last chunk carries the image (and, for EOF transfers, the mark). */
  | { t: 'rdb-data'; last: boolean; image: RdbImage | null };

/** shared.getack: the argv a master feeds to ask its replicas for an ACK (WAIT, FAILOVER, SHUTDOWN). */
export const REPLCONF_GETACK: readonly string[] = Object.freeze(['REPLCONF', 'GETACK', '*']);
export const NEWLINE_BYTES = 1;
export const EOF_MARK_BYTES = 40;

/** Exact RESP2 byte length of a reply (what Redis writes on the socket). */

/** "$<len>\r\n" header bytes for a disk RDB transfer. */
export function bulkHeaderBytes(size: number): number {
  return String(size).length + 3;
}
