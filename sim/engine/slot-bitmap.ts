/**
 * One bit per slot of a timing wheel (set while the slot's list is non-empty), and one bit per
 * non-empty 32-bit word of those, so that the next occupied slot is found by skipping 1024
 * empty slots per summary bit. Used by both wheels of the EventQueue.
 */
export class SlotBitmap {
  private readonly words: Int32Array;
  private readonly summary: Int32Array;
  private readonly wordCount: number;

  /** `slots` is a power of two, at least 1024. */
  constructor(slots: number) {
    this.wordCount = slots >> 5;
    this.words = new Int32Array(this.wordCount);
    this.summary = new Int32Array(this.wordCount >> 5);
  }

  set(k: number): void {
    const w = k >> 5;
    const bits = this.words[w]!;
    if (bits === 0) this.summary[w >> 5] = this.summary[w >> 5]! | (1 << (w & 31));
    this.words[w] = bits | (1 << (k & 31));
  }

  clear(k: number): void {
    const w = k >> 5;
    const bits = this.words[w]! & ~(1 << (k & 31));
    this.words[w] = bits;
    if (bits === 0) this.summary[w >> 5] = this.summary[w >> 5]! & ~(1 << (w & 31));
  }

  /** The first set slot at or after k, circularly: slots below k come last. Some bit is set. */
  firstFrom(k: number): number {
    const w = k >> 5;
    const here = this.words[w]! & (-1 << (k & 31));
    if (here !== 0) return (w << 5) + lowestBit(here);
    let word = this.firstWordFrom(w + 1);
    if (word < 0) word = this.firstWordFrom(0); // wrapped
    return (word << 5) + lowestBit(this.words[word]!);
  }

  /** The first non-zero word at index >= from, or -1. */
  private firstWordFrom(from: number): number {
    if (from >= this.wordCount) return -1;
    const summary = this.summary;
    let j = from >> 5;
    let bits = summary[j]! & (-1 << (from & 31));
    while (bits === 0) {
      if (++j === summary.length) return -1;
      bits = summary[j]!;
    }
    return (j << 5) + lowestBit(bits);
  }
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
export function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
