/**
 * RDB images: what BGSAVE produces and a replica or a restarting server loads. The
 * dataset is a keyspace snapshot (taken at fork time); the aux fields carry the
 * replication info Redis writes (repl-stream-db, repl-id, repl-offset), which is what lets
 * a restarted replica PSYNC and a restarted master keep its history as replid2.
 */
import type { KeyspaceSnapshot } from './keyspace.js';

export interface RdbImage {
  snapshot: KeyspaceSnapshot;
  keys: number;
  /** Size of the file / stream payload. */
  bytes: number;
  /** Aux fields; replid null when the saver had no replication info to write. */
  replid: string | null;
  offset: number;
  streamDb: number;
  /** Virtual time the fork happened at. */
  createdAtUs: number;
}
