/**
 * When each Sentinel-aware client had no writable master, from its writes as the trace has
 * them (client.write, client.acked-write with the client's host): a window opens at the
 * invocation of a write that failed (an error reply such as -NOREPLICAS or -READONLY, or
 * no reply before the client's timeout) and closes when a later write is acknowledged (OK).
 * While the client rediscovers the master it sends nothing, so the window covers that too.
 * A write acknowledged only after more than SLOW_WRITE_US (a client with a long timeout
 * waiting on a stalled master) is a window too: its wait.
 * A write acknowledged by a master that is later discarded counts as available here: the
 * client could not tell; the lost writes say what it cost. Pure.
 */
import type { Micros, TraceEvent } from '../engine/index.js';
import { formatDuration } from './format.js';
import type { ClientAvailability, ClientWindow } from './report-data.js';

/** The default Sentinel-aware client's timeout (1 s): an acknowledgement slower than this was a stall, not a write. */
export const SLOW_WRITE_US = 1_000_000;

export function clientAvailability(records: readonly TraceEvent[], clients: readonly string[], endUs: Micros): ClientAvailability[] {
  const by = new Map<string, { a: ClientAvailability; open: ClientWindow | null }>();
  for (const client of clients) by.set(client, { a: { client, firstWriteUs: null, written: 0, acknowledged: 0, failed: 0, windows: [], unavailableUs: 0 }, open: null });
  for (const r of records) {
    if (r.kind === 'client.write') {
      const c = r.client === undefined ? undefined : by.get(r.client);
      if (c) {
        c.a.written++;
        c.a.firstWriteUs ??= r.t;
      }
      continue;
    }
    if (r.kind !== 'client.acked-write' || r.client === undefined) continue;
    const c = by.get(r.client);
    if (!c) continue;
    if (r.set === 'OK') {
      c.a.acknowledged++;
      if (c.open !== null && r.t > c.open.fromUs) {
        c.open.toUs = r.t;
        c.open = null;
      } else if (c.open === null && r.t - r.invoked_us > SLOW_WRITE_US) {
        c.a.windows.push({ fromUs: r.invoked_us, toUs: r.t, reply: `OK after ${formatDuration(r.t - r.invoked_us)}` });
      }
    } else {
      c.a.failed++;
      if (c.open === null) {
        c.open = { fromUs: r.invoked_us, toUs: null, reply: r.set };
        c.a.windows.push(c.open);
      }
    }
  }
  return clients.map((client) => {
    const a = by.get(client)!.a;
    a.unavailableUs = a.windows.reduce((sum, w) => sum + ((w.toUs ?? endUs) - w.fromUs), 0);
    return a;
  });
}

/**
 * The stretches in which every client was in one of its windows at once (the intersection
 * of their window sets): no client had a writable master. Clients that never wrote are left out.
 */
export function commonOutage(clients: readonly ClientAvailability[], endUs: Micros): Array<{ fromUs: Micros; toUs: Micros | null }> {
  const writing = clients.filter((c) => c.firstWriteUs !== null);
  if (writing.length === 0) return [];
  let acc: Array<[Micros, Micros]> = writing[0]!.windows.map((w) => [w.fromUs, w.toUs ?? endUs]);
  for (const c of writing.slice(1)) {
    const next: Array<[Micros, Micros]> = [];
    for (const [a0, a1] of acc) {
      for (const w of c.windows) {
        const lo = Math.max(a0, w.fromUs);
        const hi = Math.min(a1, w.toUs ?? endUs);
        if (hi > lo) next.push([lo, hi]);
      }
    }
    acc = next;
  }
  return acc.map(([fromUs, toUs]) => ({ fromUs, toUs: toUs >= endUs ? null : toUs }));
}
