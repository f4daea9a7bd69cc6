/**
 * Small argument helpers shared by the command families: allocation-free case-insensitive
 * option matching and Redis's integer-argument parsers with their exact error replies.
 */
import { ERR_NOT_INTEGER, ERR_NOT_POSITIVE, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { CollectionValue, type Value } from '../data/value.js';

/** `s` equals the lower-case ASCII-letter literal `lit`, ignoring case (strcasecmp for options). */
export function optionIs(s: string, lit: string): boolean {
  const n = lit.length;
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) if ((s.charCodeAt(i) | 0x20) !== lit.charCodeAt(i)) return false;
  return true;
}

/** getLongLongFromObjectOrReply: the integer, or the error reply. */
export function parseLongLongArg(s: string): number | bigint | Reply {
  const v = string2ll(s);
  return v === null ? ERR_NOT_INTEGER : v;
}

/**
 * getPositiveLongFromObjectOrReply: a non-negative integer, or the error reply. A text that
 * is no integer at all gets the same "must be positive" text (getRangeLongFromObjectOrReply
 * passes its message down; checked on 7.0.15: SPOP s x, LPOP l x, DEBUG POPULATE x).
 */
export function parsePositiveLongArg(s: string): number | Reply {
  const v = string2ll(s);
  if (v === null || v < 0) return ERR_NOT_POSITIVE;
  return Number(v);
}

export function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'type' in x;
}

/** checkType for a string command: the WRONGTYPE reply if `v` is not a string. */
export function notString(v: Value): Reply | null {
  return v instanceof CollectionValue ? ERR_WRONGTYPE : null;
}
