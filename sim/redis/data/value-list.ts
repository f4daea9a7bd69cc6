/**
 * A Redis list (t_list.c at 7.0.15): the elements in order, head first. A plain array:
 * pushes and pops at the head cost O(n), fine for the lists a simulation holds.
 *
 * Redis 7.0 stores every list as a quicklist of listpack nodes of at most 8 KB
 * (list-max-listpack-size -2, the default; uncompressed, list-compress-depth 0). The
 * estimate assumes nodes filled to that limit, which is what pushes at either end
 * produce; inserts in the middle leave nodes emptier in Redis than here (rough).
 */
import { CollectionValue } from './collection-value.js';
import { jemallocSize } from './memory-model.js';
import { rdbLenBytes } from './rdb-size.js';
import { lpEntryBytes, LISTPACK_EMPTY_BYTES } from './listpack-size.js';

const ROBJ_BYTES = 16;
const QUICKLIST_BYTES = 48; // struct quicklist is 40 bytes
const QUICKLIST_NODE_BYTES = 32;
const NODE_MAX_LISTPACK_BYTES = 8192;
/** RDB_TYPE_LIST_QUICKLIST_2 saves a container type (QUICKLIST_NODE_CONTAINER_PACKED) per node. */
const RDB_NODE_CONTAINER_BYTES = 1;

export class ListValue extends CollectionValue {
  readonly redisType = 'list' as const;
  items: string[] = [];
  /** Σ over elements of their listpack entries. */
  private entryBytes = 0;

  get size(): number {
    return this.items.length;
  }

  /** Accounting for elements added (+1) or removed (-1) by a command that edits `items`. */
  account(element: string, sign: 1 | -1): void {
    this.entryBytes += sign * lpEntryBytes(element);
  }

  pushHead(element: string): void {
    this.items.unshift(element);
    this.account(element, 1);
  }

  pushTail(element: string): void {
    this.items.push(element);
    this.account(element, 1);
  }

  popHead(): string | undefined {
    const e = this.items.shift();
    if (e !== undefined) this.account(e, -1);
    return e;
  }

  popTail(): string | undefined {
    const e = this.items.pop();
    if (e !== undefined) this.account(e, -1);
    return e;
  }

  clone(): this {
    const c = new ListValue();
    c.items = this.items.slice();
    c.entryBytes = this.entryBytes;
    return c as this;
  }

  /** Quicklist nodes of up to 8 KB listpacks, and the listpack bytes of each. */
  private nodes(): { count: number; lpBytes: number } {
    const perNode = NODE_MAX_LISTPACK_BYTES - LISTPACK_EMPTY_BYTES;
    const count = Math.max(1, Math.ceil(this.entryBytes / perNode));
    return { count, lpBytes: LISTPACK_EMPTY_BYTES + Math.ceil(this.entryBytes / count) };
  }

  memoryBytes(): number {
    const { count, lpBytes } = this.nodes();
    return ROBJ_BYTES + QUICKLIST_BYTES + count * (QUICKLIST_NODE_BYTES + jemallocSize(lpBytes));
  }

  /** Node count, then per node its container type and its listpack as a string (priced incompressible). */
  rdbBytes(): number {
    const { count, lpBytes } = this.nodes();
    return rdbLenBytes(count) + count * (RDB_NODE_CONTAINER_BYTES + rdbLenBytes(lpBytes) + lpBytes);
  }
}
