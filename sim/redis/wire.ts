/**
 * What travels on a connection between simulated Redis processes. Each message carries
 * its byte length separately (Endpoint.send(bytes, payload)), computed from the RESP it
 * stands for, so offsets and bandwidth are exact while nothing is serialized.
 */
import type { Reply } from './protocol/reply.js';
import { decimalDigits, utf8ByteLength } from './protocol/resp.js';
import type { StreamUnit } from './replication-buffer.js';
import type { RdbImage } from './data/rdb.js';

export type WireMessage =
  /** A command from a client or from a replica's handshake / ACKs. */
  | { t: 'cmd'; argv: string[] }
  /** A reply to a command (handshake replies, +FULLRESYNC, +CONTINUE, errors). */
  | { t: 'reply'; reply: Reply }
  /** Replication stream bytes: whole propagation units. */
  | { t: 'stream'; units: StreamUnit[] }
  /** The raw "\n" keepalive (not part of the stream offsets). */
  | { t: 'newline' }
  /** "$<len>\r\n" (disk target) or "$EOF:<40 bytes mark>\r\n" (diskless). */
  | { t: 'rdb-begin'; eof: boolean; size: number }
  /** Payload bytes; the last chunk carries the image (and, for EOF transfers, the mark). */
  | { t: 'rdb-data'; last: boolean; image: RdbImage | null };

export const NEWLINE_BYTES = 1;
export const EOF_MARK_BYTES = 40;

/** Exact RESP2 byte length of a reply (what Redis writes on the socket). */
export function replyBytes(r: Reply): number {
  switch (r.type) {
    case 'status':
    case 'error':
      return utf8ByteLength(r.text) + 3;
    case 'int':
      return (r.text ?? String(r.value)).length + 3;
    case 'bulk': {
      if (r.value === null) return 5; // $-1\r\n
      const len = utf8ByteLength(r.value);
      return len + decimalDigits(len) + 5;
    }
    case 'array': {
      if (r.items === null) return 5; // *-1\r\n
      let bytes = decimalDigits(r.items.length) + 3;
      for (const item of r.items) bytes += replyBytes(item);
      return bytes;
    }
  }
}

/** "$<len>\r\n" header bytes for a disk RDB transfer. */
export function bulkHeaderBytes(size: number): number {
  return String(size).length + 3;
}
