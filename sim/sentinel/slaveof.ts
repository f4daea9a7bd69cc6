/**
 * sentinelSendSlaveOf: the transaction Sentinel sends to promote, reconfigure, convert or
 * fix an instance. Replies are discarded; the effect is seen in the next INFO.
 *
 *   MULTI / SLAVEOF NO ONE | SLAVEOF <host> <port> / CONFIG REWRITE /
 *   CLIENT KILL TYPE normal / CLIENT KILL TYPE pubsub / EXEC
 */
import type { SentinelRedisInstance } from './instance.js';
import type { SentinelProcess } from './sentinel.js';

const MULTI = ['MULTI'];
const SLAVEOF_NO_ONE = ['SLAVEOF', 'NO', 'ONE'];
const CONFIG_REWRITE = ['CONFIG', 'REWRITE'];
const KILL_NORMAL = ['CLIENT', 'KILL', 'TYPE', 'normal'];
const KILL_PUBSUB = ['CLIENT', 'KILL', 'TYPE', 'pubsub'];
const EXEC = ['EXEC'];

/** host null = SLAVEOF NO ONE. False when the command connection is missing. */
export function sentinelSendSlaveOf(s: SentinelProcess, ri: SentinelRedisInstance, host: string | null, port: number): boolean {
  const link = ri.link;
  if (link.cc === null) return false;
  link.command(s, ri, MULTI, null);
  link.command(s, ri, host === null ? SLAVEOF_NO_ONE : ['SLAVEOF', host, String(port)], null);
  link.command(s, ri, CONFIG_REWRITE, null);
  link.command(s, ri, KILL_NORMAL, null);
  link.command(s, ri, KILL_PUBSUB, null);
  link.command(s, ri, EXEC, null);
  return true;
}
