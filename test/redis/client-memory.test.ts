/**
 * One client's allocations and clientsCron's resizing, against what redis-server 7.0.15
 * showed (used_memory deltas and CLIENT LIST qbuf-free / rbs / tot-mem, measured here).
 */
import { describe, expect, it } from 'vitest';
import { ClientMemory, CLIENT_ALLOC_BYTES, REPLY_BUFFER_PEAK_RESET_MS } from '../../sim/redis/client-memory.js';

/** A node clock reading `unixtime` seconds. */
const clockAt = (unixtime: number): { unixtime(): number } => ({ unixtime: () => unixtime });

describe('ClientMemory (measured on redis-server 7.0.15)', () => {
  it('a fresh connection costs 17,640 B; its first command 20,472 B more (the 16 KiB querybuf, class 20,480)', () => {
    const c = new ClientMemory('normal', 0, 100);
    expect(c.usedBytes()).toBe(17_640);
    c.read(100);
    expect(c.usedBytes() - 17_640).toBe(20_472);
    expect(CLIENT_ALLOC_BYTES).toBe(17_640 - 16_384 - 8);
  });

  it('clientsCron: c->buf shrinks to 1,024 at its first visit; the querybuf once the client is idle more than 2 s', () => {
    const c = new ClientMemory('normal', 0, 100);
    c.read(100);
    c.reply(7); // +PONG
    c.cronResize(clockAt(100), 100);
    // CLIENT LIST: rbs=1024 qbuf-free=20474 tot-mem=22272 (a replica during wait_bgsave, idle 0–2 s)
    expect(c.bufUsable).toBe(1024);
    expect(c.memoryUsage()).toBe(22_272);
    c.cronResize(clockAt(102), 2100); // idle exactly 2 s: kept
    expect(c.querybufBytes).toBe(20_480);
    c.cronResize(clockAt(103), 3100); // idle 3 s: qbuf-free=0 tot-mem=1800
    expect(c.querybufBytes).toBe(8);
    expect(c.memoryUsage()).toBe(1_800);
    // An idle client: 2,280 B of used_memory (ten idle clients measured +22,576, ±20 B each).
    expect(c.usedBytes()).toBe(2_280);
  });

  it('a reply that filled c->buf doubles it at the next visit (INFO memory: mem_clients_normal 1,800 → 2,824)', () => {
    const c = new ClientMemory('normal', 0, 100);
    c.cronResize(clockAt(100), 100);
    expect(c.bufUsable).toBe(1024);
    c.read(100);
    c.reply(1_750); // INFO memory's reply is longer than the buffer
    c.cronResize(clockAt(104), 4000);
    expect(c.bufUsable).toBe(2048);
    expect(c.memoryUsage()).toBe(2_824);
    // reply-buffer-peak-reset-time (5 s) later, with nothing replied, it halves again.
    c.cronResize(clockAt(110), 4000 + REPLY_BUFFER_PEAK_RESET_MS);
    c.cronResize(clockAt(110), 4100 + REPLY_BUFFER_PEAK_RESET_MS);
    expect(c.bufUsable).toBe(1024);
  });
});
