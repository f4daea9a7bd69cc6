/**
 * GETRANGE and SETRANGE, after t_string.c at 7.0.15: byte offsets into the string's UTF-8
 * bytes, negative GETRANGE indexes from the end, SETRANGE zero-padding and keeping the TTL.
 * SETRANGE with an empty value changes nothing, so it is not propagated; otherwise it goes
 * out as typed. (Values are JS strings: a range that cuts a multi-byte character decodes to
 * U+FFFD, where Redis keeps the raw bytes — exact for ASCII, which is what scenarios use.)
 */
import { bulk, err, int, ERR_NOT_INTEGER, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { type ExecContext, addDirty, lookupRead, lookupWrite, propagate } from './exec-context.js';
import { CollectionValue, stringText } from '../data/value.js';
import { string2ll } from '../protocol/number-parse.js';

const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
const EMPTY = bulk('');

/** An argument as a long long (getLongLongFromObjectOrReply), or null. */
function longArg(text: string): number | null {
  const v = string2ll(text);
  return v === null ? null : Number(v); // beyond 2^53 only the sign matters below
}

export function getrangeCommand(ctx: ExecContext, argv: string[]): Reply {
  let start = longArg(argv[2]!);
  let end = longArg(argv[3]!);
  if (start === null || end === null) return ERR_NOT_INTEGER;
  const key = argv[1]!;
  const v = lookupRead(ctx, key);
  if (v === undefined) return EMPTY;
  if (v instanceof CollectionValue) return ERR_WRONGTYPE;
  const bytes = Buffer.from(stringText(v, key), 'utf8');
  const len = bytes.length;
  if (start < 0 && end < 0 && start > end) return EMPTY;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return EMPTY;
  return bulk(bytes.subarray(start, end + 1).toString('utf8'));
}

export function setrangeCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const offset = longArg(argv[2]!);
  if (offset === null) return ERR_NOT_INTEGER;
  if (offset < 0) return err('ERR offset is out of range');
  const value = Buffer.from(argv[3]!, 'utf8');
  const v = lookupWrite(ctx, key);
  let old: Buffer;
  if (v === undefined) {
    if (value.length === 0) return int(0); // nothing set on a missing key
    old = Buffer.alloc(0);
  } else {
    if (v instanceof CollectionValue) return ERR_WRONGTYPE;
    old = Buffer.from(stringText(v, key), 'utf8');
    if (value.length === 0) return int(old.length);
  }
  if (offset + value.length > PROTO_MAX_BULK_LEN) return err('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  const out = Buffer.alloc(Math.max(old.length, offset + value.length)); // zero-padded
  old.copy(out);
  value.copy(out, offset);
  ctx.keyspace.set(ctx.db, key, out.toString('utf8'), true);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return int(out.length);
}
