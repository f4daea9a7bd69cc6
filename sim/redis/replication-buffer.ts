/**
 * Redis 7.0's shared replication buffer and the backlog that lives in it (replication.c:
 * createReplicationBacklog, feedReplicationBuffer, incrementalTrimReplicationBacklog; server.h's
 * replBufBlock and replBacklog). One list of blocks holds every stream byte since the backlog
 * was created; the backlog and each replica reference a position in it, nothing is copied
 * per replica. Here the bytes are represented by StreamUnits (the commands of one
 * propagation, with their exact RESP length) and the blocks only by their offsets and
 * sizes, which is all that trimming and output-buffer accounting need.
 */
import { jemallocUsableSize } from './protocol/jemalloc.js';

/** One propagation as it travels the stream: e.g. [SELECT 0] [SET foo bar]. */
export interface StreamUnit {
  /**
   * A unit is also a wire message (wire.ts): one sent alone travels as itself, so a master
   * keeping up with its writes sends no wrapper object per write.
   */
  readonly t: 'unit';
  /** Offset of the unit's first byte (offsets are 1-based, like Redis's). */
  readonly offset: number;
  readonly bytes: number;
  /** Commands exactly as on the wire, SELECT/MULTI/EXEC/ping included. */
  readonly cmds: readonly (readonly string[])[];
}

interface Block {
  start: number; // offset of its first byte
  size: number; // usable capacity
  used: number;
}

const MIN_BLOCK_BYTES = 16 * 1024; // PROTO_REPLY_CHUNK_BYTES
const BLOCK_HEADER_BYTES = 40; // sizeof(replBufBlock) in 7.0
const BLOCK_NODE_OVERHEAD = 24 + BLOCK_HEADER_BYTES; // listNode + header, per block in COB usage
const TRIM_BLOCKS_PER_CALL = 64; // REPL_BACKLOG_TRIM_BLOCKS_PER_CALL

export class ReplicationBuffer {
  /** Last byte written (master_repl_offset). */
  masterOffset = 0;
  /** repl_backlog->offset: first byte the backlog still holds. */
  backlogOffset = 1;
  /** repl_backlog->histlen. */
  histlen = 0;
  backlogSizeBytes = 0;

  private units: StreamUnit[] = [];
  private unitHead = 0;
  private blocks: Block[] = [];
  private blockHead = 0;
  /**
   * outputBufferUsage's last answer and what it depends on: the byte asked about and the
   * block list. A block's start and size never change once it exists; at one masterOffset the
   * tail is the same block, and blocks only go at the head, so the same masterOffset, length
   * and blockHead mean the same live blocks at the same indices.
   */
  private usageNextByte = -1;
  private usageMasterOffset = -1;
  private usageBlocks = -1;
  private usageHead = -1;
  private usage = 0;

  /**
   * resetReplicationBuffer + createReplicationBacklog's state: an empty list of blocks, the
   * backlog starting at the byte after `masterOffset`.
   * @param minReferencedOffset the smallest next-byte-to-send among replicas reading this
   *   buffer (Infinity when none); blocks holding it or later bytes are never trimmed.
   */
  constructor(
    backlogSizeBytes: number,
    masterOffset: number,
    private readonly minReferencedOffset: () => number = () => Infinity,
  ) {
    this.backlogSizeBytes = backlogSizeBytes;
    this.masterOffset = masterOffset;
    this.backlogOffset = masterOffset + 1;
  }

  /** feedReplicationBuffer (the buffer's half): appends one propagation of `bytes` stream bytes and returns it. */
  append(cmds: readonly (readonly string[])[], bytes: number): StreamUnit {
    return this.appendUnit({ t: 'unit', offset: this.masterOffset + 1, bytes, cmds });
  }

  /**
   * replicationFeedStreamFromMasterStream (the buffer's half): appends a unit that starts at
   * our next byte — a chained replica proxying its master's
   * unit shares the (immutable) object instead of copying it.
   */
  appendUnit(unit: StreamUnit): StreamUnit {
    const bytes = unit.bytes;
    this.units.push(unit);
    this.masterOffset += bytes;
    this.histlen += bytes;
    if (this.fillBlocks(bytes)) this.trim();
    return unit;
  }

  /**
   * feedReplicationBuffer's allocation: fills the tail block, then allocates new blocks of
   * max(PROTO_REPLY_CHUNK_BYTES, min(len, repl-backlog-size / 16)) for the rest; true if any was added.
   */
  private fillBlocks(len: number): boolean {
    const tail = this.blocks.length > this.blockHead ? this.blocks[this.blocks.length - 1]! : undefined;
    if (tail && tail.size > tail.used) {
      const copy = Math.min(tail.size - tail.used, len);
      tail.used += copy;
      len -= copy;
    }
    if (len === 0) return false;
    while (len > 0) {
      const want = Math.max(MIN_BLOCK_BYTES, Math.min(len, Math.floor(this.backlogSizeBytes / 16)));
      const size = jemallocUsableSize(want + BLOCK_HEADER_BYTES) - BLOCK_HEADER_BYTES;
      const used = Math.min(size, len);
      this.blocks.push({ start: this.masterOffset - len + 1, size, used });
      len -= used;
    }
    return true;
  }

  /**
   * incrementalTrimReplicationBacklog: drop whole head blocks while the backlog would still
   * hold more than repl-backlog-size without them and no replica references them.
   */
  trim(maxBlocks = TRIM_BLOCKS_PER_CALL): void {
    let trimmed = 0;
    let minRef = -1; // asked for only when a block is otherwise trimmable (it walks the replicas)
    while (this.histlen > this.backlogSizeBytes && trimmed < maxBlocks) {
      if (this.blocks.length - this.blockHead <= 1) break;
      const first = this.blocks[this.blockHead]!;
      if (this.histlen - first.size <= this.backlogSizeBytes) break;
      if (minRef < 0) minRef = this.minReferencedOffset();
      if (minRef <= first.start + first.used - 1) break; // a replica still needs bytes of it
      this.blockHead++;
      trimmed++;
      this.histlen -= first.size;
      this.backlogOffset = this.masterOffset - this.histlen + 1;
    }
    // Units are dropped along with blocks; with none trimmed the backlog start did not move.
    if (trimmed > 0) this.compact(minRef);
  }

  /** Drops units that lie wholly before the backlog and no replica needs (Redis frees the bytes with their block). */
  private compact(minRef: number): void {
    const keepFrom = Math.min(this.backlogOffset, minRef);
    // The first unit that ends at or after keepFrom, by bisection: a trimmed 16 KB block holds
    // ≈ 100 units written long ago (cold in the cache), and a step per unit touched each one,
    // on every node's backlog (≈ 2 % of figure 7's 1 + 20).
    const units = this.units;
    let lo = this.unitHead;
    let hi = units.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const u = units[mid]!;
      if (u.offset + u.bytes > keepFrom) hi = mid;
      else lo = mid + 1;
    }
    this.unitHead = lo;
    if (this.unitHead > 1024 && this.unitHead * 2 > this.units.length) {
      dropHead(this.units, this.unitHead);
      this.unitHead = 0;
    }
    if (this.blockHead > 256 && this.blockHead * 2 > this.blocks.length) {
      dropHead(this.blocks, this.blockHead);
      this.blockHead = 0;
    }
  }

  /** masterTryPartialResynchronization's range test: can the backlog serve byte `psyncOffset` on? */
  covers(psyncOffset: number): boolean {
    return psyncOffset >= this.backlogOffset && psyncOffset <= this.backlogOffset + this.histlen;
  }

  /**
   * addReplyReplicationBacklog (and writeToClient's walk of the blocks for a replica): the
   * units from byte `from` to the end. `from` must be a unit boundary; a replica always
   * asks for the byte after a whole applied unit, so anything else is a model bug.
   */
  unitsFrom(from: number): StreamUnit[] {
    if (from > this.masterOffset) return [];
    const i = this.findUnit(from);
    if (i < 0) throw new Error(`replication buffer: offset ${from} is not the start of a unit held in the buffer`);
    return this.units.slice(i);
  }

  /** The unit that ends the stream (the latest appended), if any is held. */
  lastUnit(): StreamUnit | undefined {
    return this.units.length > this.unitHead ? this.units[this.units.length - 1] : undefined;
  }

  /** Offset of the oldest unit still held (the backlog's first byte, or later). */
  firstUnitOffset(): number {
    const u = this.units[this.unitHead];
    return u ? u.offset : this.masterOffset + 1;
  }

  /** Offset of the unit after the one starting at `offset` (end of stream + 1 if none). */
  unitAfter(offset: number): number {
    const i = this.findUnit(offset);
    const next = i >= 0 ? this.units[i + 1] : undefined;
    return next ? next.offset : this.masterOffset + 1;
  }

  /**
   * createReplicationBacklogIndex's purpose (the rax of every 64th block that
   * addReplyReplicationBacklog seeks in): the index of the unit starting at `offset`, by
   * bisection over the units instead of an index, or -1.
   */
  private findUnit(offset: number): number {
    // A replica that keeps up asks for the last unit or few: look there before bisecting.
    const units = this.units;
    for (let k = units.length - 1, stop = Math.max(this.unitHead, units.length - 4); k >= stop; k--) {
      const o = units[k]!.offset;
      if (o === offset) return k;
      if (o < offset) return -1;
    }
    let lo = this.unitHead;
    let hi = this.units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const u = this.units[mid]!;
      if (u.offset === offset) return mid;
      if (u.offset < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * getClientOutputBufferMemoryUsage (networking.c) for a replica whose next unsent byte is
   * `nextByte`: from the start of the block holding that
   * byte to the end of the tail block's allocation, plus per-block overhead.
   */
  outputBufferUsage(nextByte: number): number {
    if (nextByte > this.masterOffset) return 0;
    const n = this.blocks.length;
    if (n === this.blockHead) return 0;
    // Replicas that keep up all stand at the same byte when beforeSleep checks their limits
    // one after the other: the last answer holds while that byte and the block list are the same.
    if (nextByte === this.usageNextByte && this.masterOffset === this.usageMasterOffset && n === this.usageBlocks && this.blockHead === this.usageHead) return this.usage;
    let lo = this.blockHead;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.blocks[mid]!.start <= nextByte) lo = mid;
      else hi = mid - 1;
    }
    const ref = this.blocks[lo]!;
    const tail = this.blocks[n - 1]!;
    this.usageNextByte = nextByte;
    this.usageMasterOffset = this.masterOffset;
    this.usageBlocks = n;
    this.usageHead = this.blockHead;
    this.usage = tail.start + tail.size - ref.start + BLOCK_NODE_OVERHEAD * (n - lo);
    return this.usage;
  }

  /** mem_total_replication_buffers (server.repl_buffer_mem, with each block's list node and header). */
  totalMemory(): number {
    let sum = 0;
    for (let i = this.blockHead; i < this.blocks.length; i++) sum += this.blocks[i]!.size + BLOCK_NODE_OVERHEAD;
    return sum;
  }

  /** resizeReplicationBacklog (CONFIG SET repl-backlog-size): trim at once to the new size. */
  setBacklogSize(bytes: number): void {
    this.backlogSizeBytes = bytes;
    this.trim();
  }
}

/**
 * Removes the first `head` entries of `arr` in place: the rest moves down and the array keeps
 * its backing store (slice would allocate a new array for the rest, and the next pushes grow it
 * again; pop(), not `length =`, which may shrink the store).
 */
function dropHead<T>(arr: T[], head: number): void {
  const n = arr.length - head;
  for (let i = 0; i < n; i++) arr[i] = arr[head + i]!;
  while (arr.length > n) arr.pop();
}
