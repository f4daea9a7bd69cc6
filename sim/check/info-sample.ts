/**
 * INFO replication as the INFO checker reads it: the fields it judges, parsed from the very
 * text lines a client would get (infoReplication), slaveN lines included.
 */
import { infoReplication } from '../redis/index.js';
import type { RedisServer } from '../redis/index.js';
import type { InfoSample, SlaveLine } from './history-types.js';

export function infoSample(s: RedisServer): InfoSample {
  const out: InfoSample = {
    role: '', linkStatus: null, syncInProgress: null, connectedSlaves: 0, slaves: [], replid: '', replid2: '',
    masterReplOffset: 0, secondReplOffset: 0, backlogActive: 0, backlogSize: 0, firstByteOffset: 0, histlen: 0,
  };
  for (const [k, v] of infoReplication(s)) {
    switch (k) {
      case 'role': out.role = String(v); break;
      case 'master_link_status': out.linkStatus = String(v); break;
      case 'master_sync_in_progress': out.syncInProgress = Number(v); break;
      case 'connected_slaves': out.connectedSlaves = Number(v); break;
      case 'master_replid': out.replid = String(v); break;
      case 'master_replid2': out.replid2 = String(v); break;
      case 'master_repl_offset': out.masterReplOffset = Number(v); break;
      case 'second_repl_offset': out.secondReplOffset = Number(v); break;
      case 'repl_backlog_active': out.backlogActive = Number(v); break;
      case 'repl_backlog_size': out.backlogSize = Number(v); break;
      case 'repl_backlog_first_byte_offset': out.firstByteOffset = Number(v); break;
      case 'repl_backlog_histlen': out.histlen = Number(v); break;
      default:
        if (/^slave\d+$/.test(k)) out.slaves.push(parseSlaveLine(String(v)));
    }
  }
  return out;
}

function parseSlaveLine(line: string): SlaveLine {
  const kv = new Map(line.split(',').map((p) => p.split('=') as [string, string]));
  return { name: kv.get('ip') ?? '', state: kv.get('state') ?? '', offset: Number(kv.get('offset')), lag: Number(kv.get('lag')) };
}
