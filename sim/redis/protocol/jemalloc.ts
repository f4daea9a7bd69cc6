/**
 * jemalloc's usable size for an allocation request. Redis 7.0 sizes each replication
 * buffer block with `zmalloc_usable`, so a block requested as 16 KiB + a 40-byte header
 * actually holds 20 480 − 40 = 20 440 bytes of stream. That granularity decides where the
 * backlog is trimmed (verified against redis-server 7.0.15: after 3 MB of writes into a
 * 1 MB backlog, repl_backlog_first_byte_offset − 1 was exactly 100 × 20 440).
 *
 * Size classes: multiples of 16 up to 128, then four classes per power of two.
 */
export function jemallocUsableSize(request: number): number {
  if (request <= 8) return 8;
  if (request <= 128) return Math.ceil(request / 16) * 16;
  const group = 2 ** Math.floor(Math.log2(request - 1));
  const spacing = group / 4;
  return Math.ceil(request / spacing) * spacing;
}
