/**
 * SCAN, SSCAN, HSCAN, ZSCAN (db.c scanGenericCommand at 7.0.15), with a cursor of the
 * model's own. Redis walks its hash tables in reverse-binary bucket order under a hash
 * seeded at random per process, so no two servers agree on the order; what Redis promises
 * — an element present for the whole iteration is returned (at least once), cursor 0
 * starts and ends it, COUNT is a hint — holds here with a deterministic order: elements
 * sorted by a fixed 32-bit hash (FNV-1a), the cursor being the hash to resume from, all
 * elements of one hash returned together (so each is returned exactly once).
 *
 * As in Redis, a collection in a compact encoding (intset, listpack) is returned whole in
 * one call with cursor 0, whatever COUNT says, in its encoding's order.
 */
import { array, bulk, err, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { stringMatch } from '../protocol/glob.js';
import { d2string } from '../protocol/double-text.js';
import { type ExecContext, expireIfNeeded, lookupRead } from './exec-context.js';
import { SetValue, typeName } from '../data/value.js';
import { HashValue } from '../data/value-hash.js';
import { ZSetValue } from '../data/value-zset.js';

/** FNV-1a over UTF-16 code units: the model's bucket order. */
function scanHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

interface ScanOptions {
  cursor: number;
  count: number;
  pattern: string | null;
  type: string | null;
}

/** parseScanCursorOrReply and the options loop. */
function parseScan(argv: string[], cursorIdx: number, allowType: boolean): ScanOptions | Reply {
  const c = string2ll(argv[cursorIdx]!);
  if (c === null || c < 0n || c > 0xffffffffffffffffn) return err('ERR invalid cursor');
  const o: ScanOptions = { cursor: Number(c), count: 10, pattern: null, type: null };
  for (let i = cursorIdx + 1; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    const more = argv.length - i - 1;
    if (opt === 'count' && more >= 1) {
      const n = string2ll(argv[i + 1]!);
      if (n === null) return ERR_NOT_INTEGER;
      if (n < 1) return ERR_SYNTAX;
      o.count = Number(n);
    } else if (opt === 'match' && more >= 1) {
      o.pattern = argv[i + 1] === '*' ? null : argv[i + 1]!;
    } else if (allowType && opt === 'type' && more >= 1) {
      o.type = argv[i + 1]!;
    } else return ERR_SYNTAX;
  }
  return o;
}

/** One step of the hash-ordered walk: the next elements from `cursor` and the cursor after them. */
function hashStep<T>(items: readonly T[], keyOf: (t: T) => string, cursor: number, count: number): { next: number; page: T[] } {
  const pending = items
    .map((t) => ({ t, h: scanHash(keyOf(t)) }))
    .filter((x) => x.h >= cursor)
    .sort((a, b) => a.h - b.h || (keyOf(a.t) < keyOf(b.t) ? -1 : 1));
  const page: T[] = [];
  let i = 0;
  while (i < pending.length && page.length < count) {
    const h = pending[i]!.h;
    while (i < pending.length && pending[i]!.h === h) page.push(pending[i++]!.t);
  }
  const next = i < pending.length ? pending[i]!.h : 0;
  return { next: next === 0 && i < pending.length ? 1 : next, page };
}

export function scanCommand(ctx: ExecContext, argv: string[]): Reply {
  const o = parseScan(argv, 1, true);
  if (!('cursor' in o)) return o;
  const keys = [...ctx.keyspace.keys(ctx.db)];
  const { next, page } = hashStep(keys, (k) => k, o.cursor, o.count);
  const out: Reply[] = [];
  for (const key of page) {
    if (o.pattern !== null && !stringMatch(o.pattern, key)) continue;
    // Expired keys are skipped (and, on a master, deleted: expireIfNeeded).
    if (expireIfNeeded(ctx, key, false)) continue;
    const v = ctx.keyspace.get(ctx.db, key);
    if (v === undefined) continue;
    if (o.type !== null && typeName(v) !== o.type.toLowerCase()) continue;
    out.push(bulk(key));
  }
  return array([bulk(String(next)), array(out)]);
}

function collectionScan(ctx: ExecContext, argv: string[], kind: 'set' | 'hash' | 'zset'): Reply {
  const o = parseScan(argv, 2, false);
  if (!('cursor' in o)) return o;
  const v = lookupRead(ctx, argv[1]!);
  if (v === undefined) return array([bulk('0'), array([])]);
  const match = (s: string): boolean => o.pattern === null || stringMatch(o.pattern, s);
  let elements: Array<[string, string | null]>;
  let compact: boolean;
  if (kind === 'set') {
    if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
    compact = v.isIntset;
    const members = [...v.members];
    // An intset is kept sorted by value.
    if (compact) members.sort((a, b) => Number(a) - Number(b));
    elements = members.map((m) => [m, null]);
  } else if (kind === 'hash') {
    if (!(v instanceof HashValue)) return ERR_WRONGTYPE;
    compact = v.isListpack;
    elements = [...v.fields];
  } else {
    if (!(v instanceof ZSetValue)) return ERR_WRONGTYPE;
    compact = v.isListpack;
    elements = [];
    for (let i = 0; i < v.size; i++) {
      const m = v.at(i);
      elements.push([m, d2string(v.score(m)!)]);
    }
  }
  let next = 0;
  let page = elements;
  if (!compact) ({ next, page } = hashStep(elements, (e) => e[0], o.cursor, o.count));
  const out: Reply[] = [];
  for (const [a, b] of page) {
    if (!match(a)) continue;
    out.push(bulk(a));
    if (b !== null) out.push(bulk(b));
  }
  return array([bulk(String(next)), array(out)]);
}

export function sscanCommand(ctx: ExecContext, argv: string[]): Reply {
  return collectionScan(ctx, argv, 'set');
}
export function hscanCommand(ctx: ExecContext, argv: string[]): Reply {
  return collectionScan(ctx, argv, 'hash');
}
export function zscanCommand(ctx: ExecContext, argv: string[]): Reply {
  return collectionScan(ctx, argv, 'zset');
}
