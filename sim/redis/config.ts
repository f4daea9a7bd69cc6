/**
 * redis.conf options that the model understands, with Redis 7.0.15's defaults
 * (config.c's standardConfig table at 7.0.15). Names in scenario files are the redis.conf names; in code
 * the typed RedisConfig uses camelCase with the unit in the name.
 *
 * The parsing/validation half of this module (redis.conf value strings → RedisConfig,
 * with did-you-mean errors) lives in config-parse.ts.
 */

export type DisklessLoad = 'disabled' | 'on-empty-db' | 'swapdb';
export type MaxmemoryPolicy =
  | 'noeviction'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl';
export type AppendFsync = 'always' | 'everysec' | 'no';

export interface OutputBufferLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

export interface SavePoint {
  seconds: number;
  changes: number;
}

export interface RedisConfig {
  port: number;
  replicaof: { host: string; port: number } | null;
  masterauth: string | null;
  /** requirepass: the default user's password; null = nopass (no AUTH needed). */
  requirepass: string | null;
  replicaServeStaleData: boolean; // replica-serve-stale-data
  replicaReadOnly: boolean; // replica-read-only
  replDisklessSync: boolean; // repl-diskless-sync (yes by default in 7.0)
  replDisklessSyncDelaySec: number; // repl-diskless-sync-delay
  replDisklessSyncMaxReplicas: number; // repl-diskless-sync-max-replicas
  replDisklessLoad: DisklessLoad; // repl-diskless-load
  replPingReplicaPeriodSec: number; // repl-ping-replica-period
  replTimeoutSec: number; // repl-timeout
  /** busy-reply-threshold (alias lua-time-limit), ms: a script running longer makes the server answer -BUSY; 0 = never. */
  busyReplyThresholdMs: number;
  replBacklogSizeBytes: number; // repl-backlog-size
  replBacklogTtlSec: number; // repl-backlog-ttl
  replicaPriority: number; // replica-priority
  replicaAnnounced: boolean; // replica-announced
  replicaAnnounceIp: string | null;
  replicaAnnouncePort: number;
  minReplicasToWrite: number; // min-replicas-to-write
  minReplicasMaxLagSec: number; // min-replicas-max-lag
  replicaLazyFlush: boolean;
  replicaIgnoreMaxmemory: boolean;
  clientOutputBufferLimitReplica: OutputBufferLimit; // client-output-buffer-limit replica …
  rdbDelSyncFiles: boolean;
  save: SavePoint[]; // [] means save ""
  appendonly: boolean;
  appendfsync: AppendFsync;
  shutdownTimeoutSec: number;
  lazyfreeLazyExpire: boolean;
  lazyfreeLazyUserDel: boolean;
  lazyfreeLazyEviction: boolean;
  maxmemoryBytes: number; // 0 = no limit
  maxmemoryPolicy: MaxmemoryPolicy;
  hz: number;
  databases: number;
  rdbcompression: boolean;
  stopWritesOnBgsaveError: boolean;
  activeExpireEnabled: boolean; // DEBUG SET-ACTIVE-EXPIRE, exposed as a pseudo option "active-expire"
}

export function defaultRedisConfig(): RedisConfig {
  return {
    port: 6379,
    replicaof: null,
    masterauth: null,
    requirepass: null,
    replicaServeStaleData: true,
    replicaReadOnly: true,
    replDisklessSync: true,
    replDisklessSyncDelaySec: 5,
    replDisklessSyncMaxReplicas: 0,
    replDisklessLoad: 'disabled',
    replPingReplicaPeriodSec: 10,
    replTimeoutSec: 60,
    busyReplyThresholdMs: 5000,
    replBacklogSizeBytes: 1024 * 1024,
    replBacklogTtlSec: 3600,
    replicaPriority: 100,
    replicaAnnounced: true,
    replicaAnnounceIp: null,
    replicaAnnouncePort: 0,
    minReplicasToWrite: 0,
    minReplicasMaxLagSec: 10,
    replicaLazyFlush: false,
    replicaIgnoreMaxmemory: true,
    clientOutputBufferLimitReplica: { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 },
    rdbDelSyncFiles: false,
    save: [
      { seconds: 3600, changes: 1 },
      { seconds: 300, changes: 100 },
      { seconds: 60, changes: 10000 },
    ],
    appendonly: false,
    appendfsync: 'everysec',
    shutdownTimeoutSec: 10,
    lazyfreeLazyExpire: false,
    lazyfreeLazyUserDel: false,
    lazyfreeLazyEviction: false,
    maxmemoryBytes: 0,
    maxmemoryPolicy: 'noeviction',
    hz: 10,
    databases: 16,
    rdbcompression: true,
    stopWritesOnBgsaveError: true,
    activeExpireEnabled: true,
  };
}
