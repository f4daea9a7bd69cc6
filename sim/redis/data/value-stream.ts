/**
 * A Redis stream (t_stream.c at 7.0.15): entries in ID order, and the radix-tree nodes
 * Redis packs them into, because approximate trimming (`MAXLEN ~`, `MINID ~`) removes
 * whole nodes only and so depends on where the node boundaries fall.
 *
 * streamAppendItem opens a new node when the current one holds stream-node-max-entries
 * (100) entries, live and deleted, or when its listpack plus the new entry's fields and
 * values would reach stream-node-max-bytes (4096). A node's listpack is a master entry
 * (count, deleted, the first entry's field names) and per entry its flags, the ID as a
 * difference from the master ID, the values (fields too when they differ from the
 * master's), and an element count; its size is priced with listpack-size.ts. XDEL and
 * exact trimming mark entries deleted inside a node; a node with no live entry is freed.
 *
 * Unlike the other collections an empty stream stays a key (XDEL of the last entry,
 * MAXLEN 0): `size` counts the key itself, not the entries (see `length`).
 */
import { CollectionValue } from './collection-value.js';
import { jemallocSize } from './memory-model.js';
import { rdbLenBytes, rdbStringBytes } from './rdb-size.js';
import { lpEntryBytes, LISTPACK_EMPTY_BYTES } from './listpack-size.js';
import { compareIds, MIN_ID, type StreamId } from './stream-id.js';
import { cloneGroup, type StreamCG } from './stream-cg.js';

const STREAM_NODE_MAX_ENTRIES = 100;
const STREAM_NODE_MAX_BYTES = 4096;
const ROBJ_BYTES = 16;
const STREAM_STRUCT_BYTES = 88; // struct stream + its rax
const RAX_NODE_BYTES = 48; // a rax node with its 16-byte key, per listpack node (rough)
const CG_BYTES = 32 + 2 * 24; // streamCG and its two rax headers (rough)
const NACK_BYTES = 32 + 2 * RAX_NODE_BYTES; // streamNACK, in the group's and its owner's PEL (rough)
const CONSUMER_BYTES = 32 + 24 + RAX_NODE_BYTES; // streamConsumer, its PEL rax, its node in the group (rough)

export interface StreamEntry {
  readonly id: StreamId;
  /** field, value, field, value, … */
  readonly fields: readonly string[];
  readonly node: StreamNode;
}

export interface StreamNode {
  readonly masterId: StreamId;
  readonly masterFields: readonly string[];
  live: number;
  deleted: number;
  /** Listpack bytes of the entries (the master entry is priced from live/deleted). */
  entryBytes: number;
}

function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

/** rdbSaveLen of a 64-bit value: 1, 2, 5 or 9 bytes. */
function lenBytes(v: bigint): number {
  return v < 64n ? 1 : v < 16384n ? 2 : v <= 0xffffffffn ? 5 : 9;
}

function masterEntryBytes(node: StreamNode): number {
  let n = lpEntryBytes(String(node.live)) + lpEntryBytes(String(node.deleted)) + lpEntryBytes(String(node.masterFields.length)) + lpEntryBytes('0');
  for (const f of node.masterFields) n += lpEntryBytes(f);
  return n;
}

function nodeLpBytes(node: StreamNode): number {
  return LISTPACK_EMPTY_BYTES + masterEntryBytes(node) + node.entryBytes;
}

function sameFields(master: readonly string[], fields: readonly string[]): boolean {
  if (master.length * 2 !== fields.length) return false;
  for (let i = 0; i < master.length; i++) if (master[i] !== fields[i * 2]) return false;
  return true;
}

export class StreamValue extends CollectionValue {
  readonly redisType = 'stream' as const;
  entries: StreamEntry[] = [];
  nodes: StreamNode[] = [];
  lastId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  entriesAdded = 0;
  /** Consumer groups by name (s->cgroups: NULL until the first XGROUP CREATE). */
  cgroups: Map<string, StreamCG> | null = null;

  /** A stream key exists even with no entries. */
  get size(): number {
    return 1;
  }

  get length(): number {
    return this.entries.length;
  }

  /** streamAppendItem with the ID already chosen (> lastId). */
  append(id: StreamId, fields: readonly string[]): void {
    let node = this.nodes[this.nodes.length - 1];
    let totelelen = 0;
    for (const f of fields) totelelen += utf8Len(f);
    if (node === undefined || nodeLpBytes(node) + totelelen >= STREAM_NODE_MAX_BYTES || node.live + node.deleted >= STREAM_NODE_MAX_ENTRIES) {
      const masterFields: string[] = [];
      for (let i = 0; i < fields.length; i += 2) masterFields.push(fields[i]!);
      node = { masterId: id, masterFields, live: 0, deleted: 0, entryBytes: 0 };
      this.nodes.push(node);
    }
    const same = sameFields(node.masterFields, fields);
    let bytes = lpEntryBytes('0') + lpEntryBytes(String(id.ms - node.masterId.ms)) + lpEntryBytes(String(id.seq - node.masterId.seq));
    if (same) for (let i = 1; i < fields.length; i += 2) bytes += lpEntryBytes(fields[i]!);
    else {
      bytes += lpEntryBytes(String(fields.length / 2));
      for (const f of fields) bytes += lpEntryBytes(f);
    }
    bytes += lpEntryBytes(String(same ? 3 + fields.length / 2 : 4 + fields.length));
    node.entryBytes += bytes;
    node.live++;
    this.entries.push({ id, fields, node });
    this.lastId = id;
    this.entriesAdded++;
  }

  /** Marks entries[index] deleted in its node (freed when no live entry is left). */
  private markDeleted(index: number): void {
    const e = this.entries[index]!;
    this.entries.splice(index, 1);
    e.node.live--;
    e.node.deleted++;
    if (e.node.live === 0) this.nodes.splice(this.nodes.indexOf(e.node), 1);
  }

  /** XDEL of one ID: whether it was there. */
  deleteId(id: StreamId): boolean {
    const i = this.indexOf(id);
    if (i < 0) return false;
    this.markDeleted(i);
    if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
    return true;
  }

  private indexOf(id: StreamId): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareIds(this.entries[mid]!.id, id);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** streamEntryExists. */
  entryExists(id: StreamId): boolean {
    return this.indexOf(id) >= 0;
  }

  /** s->first_id: the first live entry's ID, 0-0 when empty (Redis keeps it so). */
  get firstId(): StreamId {
    return this.entries[0]?.id ?? MIN_ID;
  }

  /** streamLastValidID: the last live entry's ID (0-0 when empty). */
  lastValidId(): StreamId {
    return this.entries[this.entries.length - 1]?.id ?? MIN_ID;
  }

  /** Index of the first entry with id >= `id`. */
  lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.entries[mid]!.id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * streamTrim: MAXLEN (keep at most `maxlen`) or MINID (drop IDs below `minid`), whole
   * nodes first; `approx` stops at the first node that cannot go whole; `limit` (> 0)
   * caps the entries removed as whole nodes. Returns the number removed.
   */
  trim(strategy: 'maxlen' | 'minid', maxlen: number, minid: StreamId, approx: boolean, limit: number): number {
    if (strategy === 'maxlen' && this.entries.length <= maxlen) return 0;
    let removed = 0;
    while (this.nodes.length > 0) {
      const node = this.nodes[0]!;
      if (limit > 0 && removed + node.live > limit) break;
      const nodeEntries = node.live;
      const last = this.entries[nodeEntries - 1]!;
      const removeNode = strategy === 'maxlen' ? this.entries.length - nodeEntries >= maxlen : compareIds(last.id, minid) < 0;
      if (removeNode) {
        this.nodes.shift();
        this.entries.splice(0, nodeEntries);
        removed += nodeEntries;
        continue;
      }
      if (approx) break;
      while (this.entries.length > 0 && this.entries[0]!.node === node) {
        const stop = strategy === 'maxlen' ? this.entries.length <= maxlen : compareIds(this.entries[0]!.id, minid) >= 0;
        if (stop) break;
        this.markDeleted(0);
        removed++;
      }
      break;
    }
    return removed;
  }

  clone(): this {
    const c = new StreamValue();
    const nodeMap = new Map<StreamNode, StreamNode>();
    c.nodes = this.nodes.map((n) => {
      const copy = { ...n };
      nodeMap.set(n, copy);
      return copy;
    });
    c.entries = this.entries.map((e) => ({ id: e.id, fields: e.fields, node: nodeMap.get(e.node)! }));
    c.lastId = this.lastId;
    c.maxDeletedId = this.maxDeletedId;
    c.entriesAdded = this.entriesAdded;
    if (this.cgroups !== null) c.cgroups = new Map([...this.cgroups].map(([name, cg]) => [name, cloneGroup(cg)]));
    return c as this;
  }

  memoryBytes(): number {
    let n = ROBJ_BYTES + STREAM_STRUCT_BYTES;
    for (const node of this.nodes) n += RAX_NODE_BYTES + jemallocSize(nodeLpBytes(node));
    for (const [name, cg] of this.cgroups ?? []) {
      n += CG_BYTES + RAX_NODE_BYTES + jemallocSize(utf8Len(name) + 1) + NACK_BYTES * cg.pel.size;
      for (const c of cg.consumers.values()) n += CONSUMER_BYTES + jemallocSize(utf8Len(c.name) + 4);
    }
    return n;
  }

  /**
   * RDB_TYPE_STREAM_LISTPACKS_2: the node count, per node its 16-byte master ID and its
   * listpack (priced incompressible), then length, last ID, first ID, max deleted ID,
   * entries added, and the consumer groups (rdbSaveObject: per group its name, last ID,
   * entries read, the PEL with each NACK's 16-byte ID, 8-byte delivery time and count, and
   * the consumers with their name, 8-byte seen-time and the IDs of their PEL).
   */
  rdbBytes(): number {
    let n = rdbLenBytes(this.nodes.length);
    for (const node of this.nodes) {
      const lp = nodeLpBytes(node);
      n += 1 + 16 + rdbLenBytes(lp) + lp;
    }
    const first = this.entries[0]?.id ?? MIN_ID;
    const idBytes = (id: StreamId): number => lenBytes(id.ms) + lenBytes(id.seq);
    n += rdbLenBytes(this.entries.length) + idBytes(this.lastId) + idBytes(first) + idBytes(this.maxDeletedId) + rdbLenBytes(this.entriesAdded) + rdbLenBytes(this.cgroups?.size ?? 0);
    for (const [name, cg] of this.cgroups ?? []) {
      n += rdbStringBytes(name) + idBytes(cg.lastId) + (cg.entriesRead < 0 ? 9 : lenBytes(BigInt(cg.entriesRead)));
      n += rdbLenBytes(cg.pel.size);
      for (const nack of cg.pel.nacks) n += 16 + 8 + lenBytes(BigInt(nack.deliveryCount));
      n += rdbLenBytes(cg.consumers.size);
      for (const c of cg.consumers.values()) n += rdbStringBytes(c.name) + 8 + rdbLenBytes(c.pel.size) + 16 * c.pel.size;
    }
    return n;
  }
}
