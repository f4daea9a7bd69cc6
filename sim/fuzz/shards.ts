/**
 * Case seeds and shards: run `index` of a campaign is the case whose seed is derived from
 * the campaign seed and the index alone, so any slice of the index space runs anywhere and
 * a failure replays from its case seed. Shard i/n runs the indices ≡ i (mod n).
 */
export interface Shard {
  index: number;
  count: number;
}

/** 31-bit case seed of run `index` (FNV-1a over "seed/index", then murmur's finaliser). */
export function caseSeedOf(campaignSeed: string, index: number): number {
  const text = `${campaignSeed}/${index}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

/** The n-th run index of a shard. */
export function shardIndex(shard: Shard, n: number): number {
  return shard.index + n * shard.count;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard expects i/n like 0/4, got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new Error(`--shard ${text}: need 0 ≤ i < n`);
  return { index, count };
}
