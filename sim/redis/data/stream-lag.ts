/**
 * A consumer group's read counter and lag (t_stream.c at 7.0.15): how many entries a
 * group has read (entries-read) is tracked exactly while nothing was deleted ahead of it,
 * and otherwise estimated from the stream's entries-added counter when the ID sits at a
 * known place (before the first entry, on the first or on the last); else it is unknown.
 */
import { compareIds, MAX_ID, MIN_ID, type StreamId } from './stream-id.js';
import { SCG_INVALID_ENTRIES_READ, type StreamCG } from './stream-cg.js';
import type { StreamValue } from './value-stream.js';

function isZero(id: StreamId): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** streamRangeHasTombstones: whether [start, end] may hold a deleted entry. */
export function rangeHasTombstones(s: StreamValue, start: StreamId | null, end: StreamId | null): boolean {
  if (s.length === 0 || isZero(s.maxDeletedId)) return false;
  if (compareIds(s.firstId, s.maxDeletedId) > 0) return false;
  return compareIds(start ?? MIN_ID, s.maxDeletedId) <= 0 && compareIds(s.maxDeletedId, end ?? MAX_ID) <= 0;
}

/** streamEstimateDistanceFromFirstEverEntry: the read counter of `id`, or -1 when unknown. */
export function estimateDistanceFromFirstEverEntry(s: StreamValue, id: StreamId): number {
  if (s.entriesAdded === 0) return 0;
  if (s.length === 0 && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return SCG_INVALID_ENTRIES_READ;
  const cmpFirst = compareIds(id, s.firstId);
  if (isZero(s.maxDeletedId) || compareIds(s.maxDeletedId, s.firstId) < 0) {
    if (cmpFirst < 0) return s.entriesAdded - s.length;
    if (cmpFirst === 0) return s.entriesAdded - s.length + 1;
  }
  return SCG_INVALID_ENTRIES_READ;
}

/** streamReplyWithCGLag: entries not yet delivered to the group, null when unknown. */
export function groupLag(s: StreamValue, cg: StreamCG): number | null {
  if (s.entriesAdded === 0) return 0;
  if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ && !rangeHasTombstones(s, cg.lastId, null)) return s.entriesAdded - cg.entriesRead;
  const read = estimateDistanceFromFirstEverEntry(s, cg.lastId);
  return read === SCG_INVALID_ENTRIES_READ ? null : s.entriesAdded - read;
}
