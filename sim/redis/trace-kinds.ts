/**
 * The trace records a Redis server writes (node = the server): kind → fields. Names follow
 * the Redis function or log line each record stands for; consumers (check/, scenario
 * triggers, fuzz stats, the report) are type-checked against this list.
 */
import type { CloseReason, ConnectError } from '../net/index.js';
import type { PauseType } from './client-pause.js';
import type { MaxmemoryPolicy } from './config.js';
import type { RdbTarget } from './rdb-child.js';
import type { ReplicaState } from './replica-client.js';
import type { ReplState } from './replica-side.js';
import type { LoadMode } from './sync-loader.js';

declare module '../engine/trace.js' {
  interface TraceKinds {
    // the process: boot, load, crash, shutdown, clock
    'server.boot': { port: number };
    'server.load-rdb': { keys: number; bytes: number; us: number; replid: string };
    'server.load-aof': { keys: number; bytes: number; us: number; replid: string };
    'server.load-done': { keys: number };
    'server.crash': {};
    'server.power-loss': { aof_ops_lost: number };
    'server.shutdown': { save: boolean };
    'server.shutdown-wait': { timeout_s: number };
    'server.debug-sleep': { seconds: number };
    /** A script ran past busy-reply-threshold (enterScriptTimedoutMode), after_us of script time. */
    'server.script-timedout': { script: string; after_us: number };
    /** A timed-out script ended (returned, raised or killed) after us of script time. */
    'server.script-busy-end': { script: string; killed: boolean; us: number };
    'server.client-pause': { type: PauseType; end_ms: number };
    'clock.change': { offset_ms: number; drift_ppm: number };
    'config.set': { option: string; value: string };
    'config.rewrite': { file: string | null; replicaof: string };
    'client.pause': { type: 'write' | 'all'; timeout_ms: number };
    'client.blocked': { keys: string; timeout_ms: number };
    'evict': { db: number; key: string; policy: MaxmemoryPolicy };
    // AOF rewrite (rewriteAppendOnlyFileBackground, CHILD_TYPE_AOF)
    'aof.rewrite-scheduled': { reason: string };
    'aof.rewrite-start': { fork: number; keys: number; bytes: number; fork_us: number; work_us: number };
    'aof.wait-rewrite': {};
    'aof.rewrite': { keys: number; us: number };
    'aof.rewrite-failed': {};
    'aof.rewrite-killed': { fork: number };
    // persistence: rdbSaveBackground, the fork child, backgroundSaveDoneHandler
    'rdb.save-point': { seconds: number; changes: number };
    'rdb.fork': { fork: number; target: RdbTarget; keys: number; bytes: number; fork_us: number; work_us: number };
    'rdb.child-start': { fork: number; target: RdbTarget };
    'rdb.child-done': { fork: number; target: RdbTarget; replicas?: number };
    'rdb.child-killed': { fork: number; reason: string };
    'rdb.child-reaped': { fork: number };
    'rdb.bgsave-done': { fork: number; target: RdbTarget; us: number };
    'rdb.bgsave-error': { fork: number; reason: string };
    // the master side: syncCommand, masterTryPartialResynchronization, updateSlavesWaitingBgsave …
    'master.sync-request': { replica: string; replid: string; offset: number };
    'master.psync-accepted': { replica: string; offset: number; bytes: number };
    'master.psync-rejected': { replica: string; reason: string; request?: number };
    'master.fullresync': { replica: string; replid: string; offset: number };
    'master.full-resync-queued': { replica: string };
    'master.bgsave-for-sync': { target: RdbTarget; replicas: number };
    'master.attach-bgsave': { replica: string; fork: number };
    'master.delay-bgsave': { replica: string; delay: number };
    'master.wait-next-bgsave': { replica: string; reason: string };
    'master.send-bulk': { replica: string; bytes: number };
    'master.send-bulk-done': { replica: string };
    'master.stream-start': { replica: string; offset: number };
    'master.replica-online': { replica: string; offset: number; wait_ack: boolean };
    'master.replica-lost': { replica: string; state: ReplicaState; reason: string };
    'master.replica-timeout': { replica: string; mode: 'streaming sync' | 'full sync' };
    'master.cob-disconnect': { replica: string; usage: number; state: ReplicaState };
    'master.backlog-created': { replid: string; offset: number };
    'master.backlog-freed': { after_seconds: number; replid: string };
    'repl.shift-id': { replid: string; replid2: string; second_repl_offset: number };
    // the replica side: replicationSetMaster, syncWithMaster, readSyncBulkPayload …
    'replica.replicaof': { host: string; port: number; was_master: boolean };
    'replica.promoted': { replid: string; replid2: string; offset: number };
    'replica.state': { state: ReplState };
    'replica.connect-error': { reason: ConnectError };
    'replica.handshake-error': { reason: string };
    'replica.psync': { replid: string; offset: number };
    'replica.psync-error': { reply: string };
    'replica.continue': { replid: string; offset: number };
    'replica.fullresync': { replid: string; offset: number };
    'replica.sync-error': { reply: string };
    'replica.transfer-start': { eof: boolean; bytes: number; load: LoadMode };
    'replica.transfer-done': { bytes: number; us: number };
    'replica.disk-write-error': { read: number };
    'replica.flush': { keys: number; us: number };
    'replica.load-start': { mode: LoadMode; async?: boolean; keys?: number; bytes?: number };
    'replica.load-done': { keys: number; us: number };
    'replica.load-aborted': { reason: string };
    'replica.sync-done': { offset: number; keys: number };
    'replica.link-up': { offset: number };
    'replica.link-down': { reason: string; offset: number };
    'replica.link-closed': { reason: CloseReason; state: ReplState };
    'replica.timeout': { phase: 'connecting' | 'transfer' | 'connected' };
    'replica.stream-gap': { expected: number; got: number };
    // FAILOVER (failoverCommand, updateFailoverStatus)
    'failover.start': { target: string; timeout_ms: number; force: boolean };
    'failover.switch': { target: string };
    'failover.forced': { target: string };
    'failover.abort': { reason: string };
    'failover.done': {};
    'failover.promoted-by-psync': { from: string };
  }
}
