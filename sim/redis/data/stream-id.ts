/**
 * Stream IDs (t_stream.c streamID): <ms>-<seq>, two unsigned 64-bit integers, kept as
 * bigints so every valid ID (up to 18446744073709551615-18446744073709551615) compares
 * and prints exactly.
 */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const UINT64_MAX = (1n << 64n) - 1n;
export const MIN_ID: StreamId = Object.freeze({ ms: 0n, seq: 0n });
export const MAX_ID: StreamId = Object.freeze({ ms: UINT64_MAX, seq: UINT64_MAX });

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function idText(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** string2ull: decimal digits only, at most UINT64_MAX. */
function parseU64(s: string): bigint | null {
  if (!/^[0-9]{1,20}$/.test(s)) return null;
  const v = BigInt(s);
  return v <= UINT64_MAX ? v : null;
}

export interface ParsedId {
  id: StreamId;
  /** False for the `<ms>-*` form (XADD only). */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: "-", "+" (unless strict), "<ms>", "<ms>-<seq>", and with
 * `allowSeqStar` "<ms>-*". null when invalid.
 */
export function parseStreamId(s: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (s.length > 127) return null;
  if (s === '-' || s === '+') {
    if (strict) return null;
    return { id: s === '-' ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = s.indexOf('-');
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = s.slice(dash + 1);
  if (allowSeqStar && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseU64(rest);
  return seq === null ? null : { id: { ms, seq }, seqGiven: true };
}

/** streamIncrID: null on overflow past the last possible ID. */
export function incrId(id: StreamId): StreamId | null {
  if (id.seq === UINT64_MAX) return id.ms === UINT64_MAX ? null : { ms: id.ms + 1n, seq: 0n };
  return { ms: id.ms, seq: id.seq + 1n };
}

/** streamDecrID: null below 0-0. */
export function decrId(id: StreamId): StreamId | null {
  if (id.seq === 0n) return id.ms === 0n ? null : { ms: id.ms - 1n, seq: UINT64_MAX };
  return { ms: id.ms, seq: id.seq - 1n };
}
