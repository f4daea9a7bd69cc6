/**
 * ROLE: on a master `[master, offset, [[ip, port, ack_offset]…]]` (online replicas only);
 * on a replica `[slave, host, port, state, reploff|-1]` with the link state in ROLE's words.
 */
import { array, bulk, int, type Reply } from './protocol/reply.js';
import type { RedisServer } from './server.js';

/** roleCommand: the reply above, from this server's current role. */
export function roleReply(s: RedisServer): Reply {
  if (s.isMaster) {
    const replicas = s.master.replicas
      .filter((r) => r.state === 'online')
      .map((r) => array([bulk(r.client.announcedIp ?? r.name), bulk(String(r.client.listeningPort)), bulk(String(r.ackOffset))]));
    return array([bulk('master'), int(s.masterReplOffset), array(replicas)]);
  }
  const r = s.replica;
  return array([bulk('slave'), bulk(r.masterHost!), int(r.masterPort), bulk(roleLinkState(s)), int(r.master ? r.master.reploff : -1)]);
}

/** roleCommand's link state names: none, connect, connecting, handshake (slaveIsInHandshakeState), sync (TRANSFER), connected. */
export function roleLinkState(s: RedisServer): string {
  const st = s.replica.state;
  if (st === 'transfer') return 'sync';
  if (s.replica.isHandshake()) return 'handshake';
  return st;
}
