/**
 * The real Sentinels, watched: each one's events as they are published (PSUBSCRIBE * on its
 * own port, as a client of Sentinel would subscribe; sentinelEvent publishes every event but
 * the debug ones, channel = event type), stamped with the harness's real time, and at the end
 * its view of each monitored master (SENTINEL MASTER, GET-MASTER-ADDR-BY-NAME) and its id.
 *
 * Addresses in those replies are fault proxies' ports on 127.0.0.1: they are translated back
 * to the scenario's names here (`r1:6379`), so expectations and comparisons read the same
 * text in both worlds. Events keep their raw payload; sentinel-compare.ts normalises them.
 */
import type { Micros } from '../engine/index.js';
import type { Reply } from '../redis/index.js';
import type { SentinelFinal } from '../scenario/sentinel-expect.js';
import type { AddressBook } from './real-final-state.js';
import { RespClient } from './resp-client.js';

/** One event as a Sentinel emitted it (both worlds use this shape). */
export interface SentinelEventRecord {
  /** µs since time 0. */
  atUs: Micros;
  sentinel: string;
  type: string;
  msg: string;
}

export interface RealSentinelFinal extends SentinelFinal {
  myid: string;
}

interface Watched {
  readonly name: string;
  readonly port: number;
  readonly running: boolean;
}

export class SentinelWatch {
  readonly events: SentinelEventRecord[] = [];
  /** Every run id a Sentinel had (a restart without its config would change it) → its name. */
  readonly ids = new Map<string, string>();
  private readonly subs = new Map<string, RespClient>();

  constructor(private readonly now: () => Micros) {}

  /** Subscribes to every event of a Sentinel that has just (re)started. */
  async subscribe(s: Watched): Promise<void> {
    this.subs.get(s.name)?.close();
    const c = await RespClient.connect(s.port);
    this.subs.set(s.name, c);
    c.onPush = (r) => {
      const m = pmessage(r);
      if (m !== null) this.events.push({ atUs: this.now(), sentinel: s.name, type: m.channel, msg: m.message });
    };
    const id = await c.call(['SENTINEL', 'MYID']);
    if (id.type === 'bulk' && id.value !== null) this.ids.set(id.value, s.name);
    await c.call(['PSUBSCRIBE', '*']);
  }

  close(): void {
    for (const c of this.subs.values()) c.close();
    this.subs.clear();
  }
}

/** `["pmessage", pattern, channel, message]` → channel and message. */
function pmessage(r: Reply): { channel: string; message: string } | null {
  if (r.type !== 'array' || r.items === null || r.items.length !== 4) return null;
  const [kind, , channel, message] = r.items;
  if (kind?.type !== 'bulk' || kind.value !== 'pmessage' || channel?.type !== 'bulk' || message?.type !== 'bulk') return null;
  return { channel: channel.value ?? '', message: message.value ?? '' };
}

/** A flat RESP2 map (SENTINEL MASTER) → field → value. */
function flatMap(r: Reply): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.type !== 'array' || r.items === null) return out;
  for (let i = 0; i + 1 < r.items.length; i += 2) {
    const k = r.items[i]!;
    const v = r.items[i + 1]!;
    if (k.type === 'bulk' && v.type === 'bulk') out[k.value ?? ''] = v.value ?? '';
  }
  return out;
}

/** `ip`:`port` of a proxy → `node:scenarioPort` as replsim writes addresses. */
export function scenarioAddress(book: AddressBook, ip: string, port: number): string {
  const node = ip === '127.0.0.1' ? book.nodeAtPort(port) : undefined;
  return node === undefined ? `unknown(${ip}:${port})` : `${node}:${book.scenarioPort(node)}`;
}

/** A Sentinel's final view of each master, with addresses in the scenario's names. */
export async function readSentinelFinal(s: Watched, masters: readonly string[], book: AddressBook, events: readonly SentinelEventRecord[]): Promise<RealSentinelFinal> {
  const counts: Record<string, number> = {};
  for (const e of events) if (e.sentinel === s.name) counts[e.type] = (counts[e.type] ?? 0) + 1;
  const down: RealSentinelFinal = { alive: false, masters: {}, events: counts, myid: '' };
  if (!s.running) return down;
  let c: RespClient | null = null;
  try {
    c = await RespClient.connect(s.port, 2000);
    const myid = await c.callWithTimeout(['SENTINEL', 'MYID'], 5000);
    const out: RealSentinelFinal = { alive: true, masters: {}, events: counts, myid: myid.type === 'bulk' ? myid.value ?? '' : '' };
    for (const name of masters) {
      const fields = flatMap(await c.callWithTimeout(['SENTINEL', 'MASTER', name], 5000));
      const addr = await c.callWithTimeout(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name], 5000);
      if (addr.type === 'array' && addr.items !== null && addr.items.length === 2) {
        const [ip, port] = addr.items.map((x) => (x.type === 'bulk' ? x.value ?? '' : ''));
        fields['address'] = scenarioAddress(book, ip!, Number(port));
      }
      if (fields['ip'] !== undefined) {
        const [node, port] = scenarioAddress(book, fields['ip'], Number(fields['port'])).split(':');
        fields['ip'] = node!;
        fields['port'] = port ?? '';
      }
      out.masters[name] = fields;
    }
    return out;
  } catch {
    return down;
  } finally {
    c?.close();
  }
}
