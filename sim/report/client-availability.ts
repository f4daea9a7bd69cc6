/**
 * When each Sentinel-aware client had no writable master, from its writes as the trace has
 * them (client.write, client.acked-write with the client's host): a window opens at the
 * invocation of a write that failed (an error reply such as -NOREPLICAS or -READONLY, or
 * no reply before the client's timeout) and closes when a later write is acknowledged (OK).
 * While the client rediscovers the master it sends nothing, so the window covers that too.
 * A write acknowledged by a master that is later discarded counts as available here: the
 * client could not tell; the lost writes say what it cost. Pure.
 */
import type { Micros, TraceEvent } from '../engine/index.js';
import type { ClientAvailability, ClientWindow } from './report-data.js';

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
