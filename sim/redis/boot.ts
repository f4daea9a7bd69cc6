/**
 * What a server does with its RDB file at startup (server.c: loadDataFromDisk, with the
 * replication info rdbPopulateSaveInfo stored in the RDB's aux fields): the load blocks
 * (clients, polled every 2 MB, get -LOADING: loading-poll.ts); a replica with valid
 * replication info rebuilds a cached master and can PSYNC; a master keeps the old history
 * as replid2, and keys already expired are deleted and fed to the new backlog.
 */
import { rdbLoadCost } from './cost-model.js';
import { Keyspace } from './data/keyspace.js';
import { LoadingPolls } from './loading-poll.js';
import type { RedisServer } from './server.js';

/** loadDataFromDisk: the AOF or the RDB, and what its replication info lets this server do. */
export function bootFromDisk(s: RedisServer): void {
  // With appendonly yes Redis loads the AOF, never the RDB: no replication info survives,
  // so the history is new and replicas (or this replica) need a full sync.
  const image = s.config.appendonly ? s.aof.imageAtBoot() : s.disk;
  if (!image) {
    s.aof.open(null);
    return;
  }
  const asReplica = s.config.replicaof !== null;
  const loadUs = rdbLoadCost(s.env.costs, image.keys, image.bytes);
  s.keyspace.discard();
  s.keyspace = Keyspace.fromSnapshot(image.snapshot);
  // An AOF's preamble is loaded with its expired keys (RDBFLAGS_AOF_PREAMBLE); the rest is replayed.
  const aofBaseKeys = s.aof.baseKeys;
  s.aof.open(s.config.appendonly ? s.keyspace : null);
  s.trace(s.config.appendonly ? 'server.load-aof' : 'server.load-rdb', { keys: image.keys, bytes: image.bytes, us: loadUs, replid: image.replid ?? '' });
  if (image.replid !== null && asReplica) {
    s.replid = image.replid;
    s.masterReplOffset = image.offset;
    s.replica.cached = { replid: image.replid, reploff: image.offset };
    // selectDb(server.cached_master, rsi.repl_stream_db): the stream continues in that DB.
    s.replica.applier.selectDb(image.streamDb);
  } else if (image.replid !== null && !asReplica) {
    // rebaseReplicationBuffer: the backlog starts at the RDB's offset (created here rather than
    // rebased) and exists before the load so expired-key DELs advance the offset.
    s.masterReplOffset = image.offset;
    s.createBacklog();
    const expired = s.keyspace.activeExpireCycle(s.nowMs(), Number.MAX_SAFE_INTEGER);
    for (const k of expired) s.feedCommands([{ db: k.db, argv: [s.config.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', k.key] }]);
    s.lastLoadKeysExpired = expired.length;
    s.replid2 = image.replid;
    s.secondReplidOffset = image.offset + 1;
  } else if (!asReplica) {
    // No replication info: keys already expired are simply not loaded by a master.
    s.lastLoadKeysExpired = s.keyspace.activeExpireCycle(s.nowMs(), Number.MAX_SAFE_INTEGER).length;
  }
  s.lastLoadKeysLoaded = s.config.appendonly ? aofBaseKeys : s.keyspace.totalKeys();
  // The AOF's incremental part is replayed after its base, clients polled from its first command.
  const incrPart = s.config.appendonly && s.aof.incrCommands > 0;
  if (loadUs > 0) {
    s.loading = true;
    s.freeze('loading');
    const incarnation = s.incarnation;
    // Clients are still served now and then (processEventsWhileBlocked, loading-poll.ts).
    const polls = new LoadingPolls(s, s.sim.now, loadUs, image.bytes, null);
    s.sim.after(loadUs, () => {
      if (incarnation !== s.incarnation) return;
      if (incrPart) polls.pollNow();
      polls.stop();
      s.loading = false;
      s.trace('server.load-done', { keys: image.keys });
      s.thaw('loading');
    });
  }
}
