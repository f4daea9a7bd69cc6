/**
 * What one connected client holds in a real Redis 7.0.15 (networking.c createClient,
 * readQueryFromClient; server.c clientsCronResizeQueryBuffer, clientsCronResizeOutputBuffer,
 * getClientMemoryUsage): the client struct and its connection, the static reply buffer
 * c->buf, and the query buffer c->querybuf. Every number below counts in used_memory.
 *
 * - createClient allocates c->buf with PROTO_REPLY_CHUNK_BYTES (16 KiB) and an empty
 *   querybuf (an sdshdr8 of 0 bytes: 8 with jemalloc).
 * - The first read (and any read while the querybuf's allocation is below PROTO_IOBUF_LEN)
 *   makes room for 16 KiB non-greedily: an sdshdr16 of 16,384 bytes, jemalloc class 20,480.
 *   It stays that big while the client is active.
 * - clientsCron visits the client: a querybuf wasting more than 4 KiB of a client idle for
 *   more than 2 s (whole seconds of server.unixtime) is cut to its length (empty: 8 bytes);
 *   c->buf shrinks to max(PROTO_REPLY_MIN_BYTES, peak+1) when the peak since the last reset
 *   is under half of it, and doubles (up to 16 KiB) when the peak filled it. The peak is
 *   reset to the pending bytes (0 for an idle client) every reply-buffer-peak-reset-time
 *   (5 s).
 *
 * Measured on redis-server 7.0.15 (jemalloc 5.3, x86-64; test/redis/client-memory.test.ts):
 * a fresh connection +17,640 B of used_memory, its first command +20,472 (the querybuf),
 * an idle client after clientsCron 2,280 B; mem_clients_normal of an idle client 1,800.
 */
import type { UnixSeconds } from '../engine/index.js';
import { jemallocSize } from './data/memory-model.js';

/** used_memory of a client besides c->buf and c->querybuf (struct, connection, lists, dicts, rax node). */
export const CLIENT_ALLOC_BYTES = 1_248;
/** zmalloc_size(c): what getClientMemoryUsage counts of the struct (mem_clients_normal of an idle client, 1,800, less 1,024 + 8). */
const CLIENT_STRUCT_BYTES = 768;
const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
const PROTO_REPLY_MIN_BYTES = 1024;
const PROTO_IOBUF_LEN = 16 * 1024;
/** sdsempty(): sdshdr8 header + NUL, in jemalloc's 8-byte class. */
const EMPTY_SDS_BYTES = 8;
/** sdsMakeRoomForNonGreedy(empty, PROTO_IOBUF_LEN): sdshdr16 (5) + 16 KiB + NUL. */
const QUERYBUF_READ_BYTES = jemallocSize(5 + PROTO_IOBUF_LEN + 1);
/** clientsCronResizeQueryBuffer: only a buffer wasting more than this is resized. */
const QUERYBUF_WASTE_BYTES = 4 * 1024;
/** reply-buffer-peak-reset-time default (ms). */
export const REPLY_BUFFER_PEAK_RESET_MS = 5000;

export type ClientMemoryType = 'normal' | 'slave' | 'master';

export class ClientMemory {
  /** c->buf_usable_size. */
  bufUsable = PROTO_REPLY_CHUNK_BYTES;
  /** c->buf_peak: the most bytes c->buf held since the last reset. */
  private bufPeak = 0;
  private bufPeakLastResetMs: number;
  /** sdsalloc(c->querybuf) as jemalloc sized it (every command is consumed whole: length 0). */
  querybufBytes = EMPTY_SDS_BYTES;
  /** c->lastinteraction (unixtime). */
  private lastInteraction: UnixSeconds;
  /** c->last_memory_usage / last_memory_type, as updateClientMemoryUsage left them. */
  lastMemoryUsage = 0;
  lastMemoryType: ClientMemoryType;

  constructor(
    public type: ClientMemoryType,
    nowMs: number,
    unixtime: UnixSeconds,
  ) {
    this.lastMemoryType = type;
    this.bufPeakLastResetMs = nowMs;
    this.lastInteraction = unixtime;
  }

  /** readQueryFromClient: a command arrived. */
  read(unixtime: UnixSeconds): void {
    if (this.querybufBytes < PROTO_IOBUF_LEN) this.querybufBytes = QUERYBUF_READ_BYTES;
    this.lastInteraction = unixtime;
  }

  /** _addReplyToBuffer: a reply of `bytes` went into c->buf (what does not fit goes to the reply list, freed once written). */
  reply(bytes: number): void {
    const inBuf = Math.min(bytes, this.bufUsable);
    if (inBuf > this.bufPeak) this.bufPeak = inBuf;
  }

  /** clientsCronResizeQueryBuffer then clientsCronResizeOutputBuffer, for one visit. */
  cronResize(clock: { unixtime(): UnixSeconds }, nowMs: number): void {
    if (this.querybufBytes - EMPTY_SDS_BYTES > QUERYBUF_WASTE_BYTES && clock.unixtime() - this.lastInteraction > 2) this.querybufBytes = EMPTY_SDS_BYTES;
    let size = 0;
    if (this.bufUsable / 2 >= PROTO_REPLY_MIN_BYTES && this.bufPeak < this.bufUsable / 2) {
      size = Math.max(PROTO_REPLY_MIN_BYTES, this.bufPeak + 1);
    } else if (this.bufUsable * 2 < PROTO_REPLY_CHUNK_BYTES * 2 && this.bufPeak === this.bufUsable) {
      size = Math.min(PROTO_REPLY_CHUNK_BYTES, this.bufUsable * 2);
    }
    if (nowMs - this.bufPeakLastResetMs >= REPLY_BUFFER_PEAK_RESET_MS) {
      this.bufPeak = 0; // c->bufpos: replies are written out before the cron runs
      this.bufPeakLastResetMs = nowMs;
    }
    if (size > 0) this.bufUsable = jemallocSize(size);
  }

  /** Its share of used_memory. */
  usedBytes(): number {
    return CLIENT_ALLOC_BYTES + this.bufUsable + this.querybufBytes;
  }

  /** getClientMemoryUsage (no pending replies, no MULTI state): what mem_clients_normal adds up. */
  memoryUsage(): number {
    return CLIENT_STRUCT_BYTES + this.bufUsable + this.querybufBytes;
  }
}
