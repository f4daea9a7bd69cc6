/**
 * A min-heap of (expireAt ms, insertion seq) → (db, key), with lazy invalidation: setting a
 * new TTL pushes a new entry and leaves the old one, which is skipped when it surfaces
 * because the key's current TTL no longer equals it. Ties pop in insertion order, so the
 * active expire cycle is deterministic.
 *
 * Redis samples random volatile keys (activeExpireCycle, 20 per loop); we expire exactly
 * the keys that are due instead, which is what Redis converges to within a few cycles and
 * what a deterministic model can state.
 *
 * Parallel typed arrays: measured while choosing the event queue, a typed-array heap beat
 * heaps of objects 3–5× at 1e5 entries and more.
 */

export class ExpireHeap {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private dbs = new Int32Array(1024);
  private keys: string[] = [];
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
    this.keys = [];
  }

  push(expireAt: number, db: number, key: string): void {
    if (this.n === this.times.length) this.grow();
    let i = this.n++;
    const seq = this.nextSeq++;
    // Sift up with a hole.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p]!;
      if (pt < expireAt || (pt === expireAt && this.seqs[p]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.times[i] = expireAt;
    this.seqs[i] = seq;
    this.dbs[i] = db;
    this.keys[i] = key;
  }

  /** The smallest expireAt, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Infinity;
  }
  peekDb(): number {
    return this.dbs[0]!;
  }
  peekKey(): string {
    return this.keys[0]!;
  }

  pop(): void {
    const last = --this.n;
    if (last === 0) {
      this.keys.length = 0;
      return;
    }
    const t = this.times[last]!;
    const s = this.seqs[last]!;
    const d = this.dbs[last]!;
    const k = this.keys[last]!;
    this.keys.length = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      let c = l;
      if (r < last && (this.times[r]! < this.times[l]! || (this.times[r] === this.times[l] && this.seqs[r]! < this.seqs[l]!))) c = r;
      const ct = this.times[c]!;
      if (t < ct || (t === ct && s < this.seqs[c]!)) break;
      this.move(c, i);
      i = c;
    }
    this.times[i] = t;
    this.seqs[i] = s;
    this.dbs[i] = d;
    this.keys[i] = k;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.dbs[to] = this.dbs[from]!;
    this.keys[to] = this.keys[from]!;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap);
    t.set(this.times);
    this.times = t;
    const s = new Float64Array(cap);
    s.set(this.seqs);
    this.seqs = s;
    const d = new Int32Array(cap);
    d.set(this.dbs);
    this.dbs = d;
  }
}
