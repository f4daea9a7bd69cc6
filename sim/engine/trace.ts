/**
 * The trace: the typed record of what happened in a run (docs/layers.md, "Determinism" rule 5). Every record
 * is folded into a running 64-bit hash over its canonical encoding, so the hash is the
 * run's fingerprint whether or not records are kept in memory.
 */
import type { Micros } from './time.js';

export type TraceValue = string | number | boolean | null;

export interface TraceRecord {
  t: Micros;
  node?: string;
  kind: string;
  [field: string]: TraceValue | undefined;
}

/**
 * kind → fields, one entry per kind of record. Empty here: each layer declares the kinds it
 * writes in its own trace-kinds.ts by augmenting this interface (`declare module`), as
 * TigerBeetle's trace Event union grows per component. Emitters (Simulator.record) and
 * consumers (a `switch` or `===` on `kind`) are type-checked against it, so renaming a kind
 * or a field cannot silently switch a checker off.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface -- filled by the layers
export interface TraceKinds {}

export type TraceKind = keyof TraceKinds & string;

/** A record of one declared kind. */
export type TraceEventOf<K extends TraceKind> = { t: Micros; node?: string; kind: K } & TraceKinds[K];

/** A record of any declared kind: a union discriminated by `kind`. */
export type TraceEvent = { [K in TraceKind]: TraceEventOf<K> }[TraceKind];

/** The fields argument of a kind: optional when the kind has none. */
export type TraceFieldsArg<K extends TraceKind> = {} extends TraceKinds[K] ? [fields?: TraceKinds[K]] : [fields: TraceKinds[K]];

export type TraceRetention = 'none' | 'all' | { ring: number };

export type TraceListener = (rec: TraceEvent) => void;

/**
 * Number → text that is the same on every machine: ECMAScript fixes Number::toString as
 * the shortest round-tripping decimal, so String(x) is canonical. -0 is folded into 0
 * (String(-0) is already "0").
 */
function canonicalNumber(x: number): string {
  return String(x);
}

function canonicalValue(v: TraceValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return canonicalNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return 'null';
  }
}

/**
 * JSON-like text of a record with a fixed key order: t, node, kind, then the other keys in
 * insertion order. Undefined fields are omitted (as if absent). Numbers are not quoted, and
 * NaN/Infinity are written as such, so the encoding never conflates distinct values.
 */
export function canonicalRecord(rec: TraceRecord): string {
  let out = '{"t":' + canonicalNumber(rec.t);
  if (rec.node !== undefined) out += ',"node":' + JSON.stringify(rec.node);
  out += ',"kind":' + JSON.stringify(rec.kind);
  for (const key in rec) {
    if (key === 't' || key === 'node' || key === 'kind') continue;
    const v = rec[key];
    if (v === undefined) continue;
    out += ',' + JSON.stringify(key) + ':' + canonicalValue(v);
  }
  return out + '}';
}

/** The first index at which two record lists differ (by canonical encoding), or null. */
export function firstDifference(
  a: readonly TraceRecord[],
  b: readonly TraceRecord[],
): { index: number; a: TraceRecord | undefined; b: TraceRecord | undefined } | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ra = a[i];
    const rb = b[i];
    if (ra === undefined || rb === undefined || canonicalRecord(ra) !== canonicalRecord(rb)) {
      return { index: i, a: ra, b: rb };
    }
  }
  return null;
}

// The hash: two independent 32-bit multiplicative lanes (cyrb53-style) over the UTF-16 code
// units of canonicalRecord(rec) + "\n" for every record in order. Math.imul keeps every step
// in exact 32-bit integer arithmetic, so it is identical on every platform.
//
// Trace.record feeds the same characters piece by piece instead of building the string
// (3-4x cheaper: no concatenation, no flattening, no JSON.stringify for plain strings), so
// the lanes live in module variables while one record is being mixed.
const LANE1_SEED = 0xdeadbeef | 0;
const LANE2_SEED = 0x41c6ce57 | 0;
const M1 = 2654435761 | 0;
const M2 = 1597334677 | 0;
let H1 = 0;
let H2 = 0;

function mixChar(c: number): void {
  H1 = Math.imul(H1 ^ c, M1);
  H2 = Math.imul(H2 ^ c, M2);
}

function mixText(s: string): void {
  let h1 = H1;
  let h2 = H2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, M1);
    h2 = Math.imul(h2 ^ c, M2);
  }
  H1 = h1;
  H2 = h2;
}

/** Mixes JSON.stringify(s), without calling it unless s has a character JSON escapes. */
function mixQuoted(s: string): void {
  const saved1 = H1;
  const saved2 = H2;
  let h1 = Math.imul(H1 ^ 34, M1);
  let h2 = Math.imul(H2 ^ 34, M2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) {
      H1 = saved1;
      H2 = saved2;
      mixText(JSON.stringify(s));
      return;
    }
    h1 = Math.imul(h1 ^ c, M1);
    h2 = Math.imul(h2 ^ c, M2);
  }
  H1 = Math.imul(h1 ^ 34, M1);
  H2 = Math.imul(h2 ^ 34, M2);
}

/** Mixes exactly the characters of canonicalRecord(rec) + "\n". */
function mixRecord(rec: TraceRecord): void {
  mixText('{"t":');
  mixText(canonicalNumber(rec.t));
  if (rec.node !== undefined) {
    mixText(',"node":');
    mixQuoted(rec.node);
  }
  mixText(',"kind":');
  mixQuoted(rec.kind);
  for (const key in rec) {
    if (key === 't' || key === 'node' || key === 'kind') continue;
    const v = rec[key];
    if (v === undefined) continue;
    mixChar(44); // ,
    mixQuoted(key);
    mixChar(58); // :
    if (typeof v === 'string') mixQuoted(v);
    else mixText(canonicalValue(v));
  }
  mixChar(125); // }
  mixChar(10); // record separator, so ["ab","c"] and ["a","bc"] differ
}

function finalHash(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex32(h2) + hex32(h1);
}

/**
 * The trace hash of records given as canonical text (canonicalRecord output, one per
 * record): what Trace.hash() returns for the same records. For tools that re-check a
 * saved trace.
 */
export function traceHashOfCanonical(lines: Iterable<string>): string {
  H1 = LANE1_SEED;
  H2 = LANE2_SEED;
  for (const line of lines) {
    mixText(line);
    mixChar(10);
  }
  return finalHash(H1, H2);
}

function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

export class Trace {
  private h1: number = LANE1_SEED;
  private h2: number = LANE2_SEED;
  private recorded = 0;
  private _retention: TraceRetention = 'none';
  private kept: TraceRecord[] = [];
  /** Next write position in `kept` when it is a full ring. */
  private ringNext = 0;
  private listeners: TraceListener[] = [];

  constructor(retention: TraceRetention = 'none') {
    this.retention = retention;
  }

  /** Number of records ever recorded (retained or not). */
  get count(): number {
    return this.recorded;
  }

  get retention(): TraceRetention {
    return this._retention;
  }

  /** Changing the retention drops the records kept so far; the hash is unaffected. */
  set retention(r: TraceRetention) {
    if (typeof r === 'object' && !(Number.isSafeInteger(r.ring) && r.ring > 0)) {
      throw new RangeError(`trace retention: ring size must be a positive integer, got ${r.ring}`);
    }
    this._retention = r;
    this.kept = [];
    this.ringNext = 0;
  }

  /** Records must not be mutated afterwards: they may be retained and handed to listeners. */
  record(rec: TraceRecord): void {
    H1 = this.h1;
    H2 = this.h2;
    mixRecord(rec);
    this.h1 = H1;
    this.h2 = H2;
    this.recorded++;
    const r = this._retention;
    if (r === 'all') {
      this.kept.push(rec);
    } else if (r !== 'none') {
      if (this.kept.length < r.ring) {
        this.kept.push(rec);
      } else {
        this.kept[this.ringNext] = rec;
        this.ringNext = (this.ringNext + 1) % r.ring;
      }
    }
    const ls = this.listeners;
    // Simulator.record is typed against TraceKinds, so a recorded record is a TraceEvent.
    for (let i = 0; i < ls.length; i++) ls[i]!(rec as unknown as TraceEvent);
  }

  /** 16 hex chars: the running 64-bit hash, finalised without disturbing the running state. */
  hash(): string {
    return finalHash(this.h1, this.h2);
  }

  /** The retained records, oldest first. */
  records(): TraceRecord[] {
    const r = this._retention;
    if (typeof r === 'object' && this.kept.length === r.ring) {
      return this.kept.slice(this.ringNext).concat(this.kept.slice(0, this.ringNext));
    }
    return this.kept.slice();
  }

  /** Calls listener for every later record; returns the unsubscribe function. */
  subscribe(listener: TraceListener): () => void {
    // Copy-on-write, so a listener may unsubscribe (itself or another) while being called.
    this.listeners = [...this.listeners, listener];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners = [...this.listeners.slice(0, i), ...this.listeners.slice(i + 1)];
    };
  }
}
