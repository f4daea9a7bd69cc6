/**
 * The radix tree (rax.c) that indexes a stream's listpack nodes by their master ID, as far
 * as XINFO STREAM shows it: radix-tree-keys (one per listpack node) and radix-tree-nodes,
 * rax->numnodes. Keys are the 16-byte big-endian IDs (streamEncodeID). The node count is
 * that of the compressed trie rax builds by insertion: the head, one node per maximal run
 * of bytes with a single continuation (a compressed node), one per branching point, one
 * per key's end. After deletions rax may leave a tree less compressed than that (rax.c
 * recompresses only along the deleted key's path): then the count here can be lower.
 */
import type { StreamId } from './stream-id.js';

function encodeId(id: StreamId): Uint8Array {
  const b = new Uint8Array(16);
  let ms = id.ms;
  let seq = id.seq;
  for (let i = 7; i >= 0; i--) {
    b[i] = Number(ms & 255n);
    b[8 + i] = Number(seq & 255n);
    ms >>= 8n;
    seq >>= 8n;
  }
  return b;
}

/** Nodes of the subtree holding keys[from, to), which share their first `depth` bytes. */
function countNodes(keys: Uint8Array[], from: number, to: number, depth: number): number {
  if (depth === 16) return 1;
  let d = depth;
  // A compressed node spans bytes every key agrees on.
  while (d < 16 && keys[from]![d] === keys[to - 1]![d]) d++;
  if (d > depth) return 1 + countNodes(keys, from, to, d);
  let n = 1;
  for (let i = from; i < to; ) {
    let j = i + 1;
    while (j < to && keys[j]![d] === keys[i]![d]) j++;
    n += countNodes(keys, i, j, d + 1);
    i = j;
  }
  return n;
}

/** rax->numnodes of a rax holding these IDs (sorted ascending, distinct). */
export function raxNodeCount(ids: readonly StreamId[]): number {
  if (ids.length === 0) return 1; // the empty head
  const keys = ids.map(encodeId);
  return countNodes(keys, 0, keys.length, 0);
}
