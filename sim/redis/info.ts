/**
 * INFO, field for field as Redis 7.0's genRedisInfoString writes the sections replsim
 * models (server.c, 7.0.15): replication, stats (replication counters),
 * persistence (loading, BGSAVE), keyspace. Each section is a list of [field, value] in
 * Redis's order; the text form is what a client reads.
 */
import type { RedisServer } from './server.js';
import { infoClients, infoServer } from './info-server.js';
import { USED_MEMORY_STARTUP_BYTES } from './data/memory-model.js';

export type InfoValue = string | number;
export type InfoSection = Array<[string, InfoValue]>;

const LINK_STATES_UP = 'connected';

export function infoReplication(s: RedisServer): InfoSection {
  const out: InfoSection = [];
  const r = s.replica;
  const now = s.unixtime();
  out.push(['role', s.isMaster ? 'master' : 'slave']);
  if (!s.isMaster) {
    const src = r.master ?? r.cached;
    out.push(['master_host', r.masterHost!]);
    out.push(['master_port', r.masterPort]);
    out.push(['master_link_status', r.state === LINK_STATES_UP ? 'up' : 'down']);
    out.push(['master_last_io_seconds_ago', r.master ? now - r.master.lastInteraction : -1]);
    out.push(['master_sync_in_progress', r.state === 'transfer' ? 1 : 0]);
    out.push(['slave_read_repl_offset', r.master ? r.master.readReploff : (src?.reploff ?? 1)]);
    out.push(['slave_repl_offset', src ? src.reploff : 1]);
    if (r.state === 'transfer' && r.transfer) {
      const t = r.transfer;
      const total = t.eof ? 0 : Math.max(0, t.size);
      out.push(['master_sync_total_bytes', total]);
      out.push(['master_sync_read_bytes', t.read]);
      out.push(['master_sync_left_bytes', total - t.read]);
      out.push(['master_sync_perc', total > 0 ? ((t.read / total) * 100).toFixed(2) : '0.00']);
      out.push(['master_sync_last_io_seconds_ago', now - r.lastIo]);
    }
    if (r.state !== LINK_STATES_UP) out.push(['master_link_down_since_seconds', r.downSince ? now - r.downSince : -1]);
    out.push(['slave_priority', s.config.replicaPriority]);
    out.push(['slave_read_only', s.config.replicaReadOnly ? 1 : 0]);
    out.push(['replica_announced', s.config.replicaAnnounced ? 1 : 0]);
  }
  out.push(['connected_slaves', s.master.replicas.length]);
  if (s.config.minReplicasToWrite > 0 && s.config.minReplicasMaxLagSec > 0) out.push(['min_slaves_good_slaves', s.master.goodSlaves]);
  s.master.replicas.forEach((rep, i) => {
    const state = rep.state === 'wait_bgsave_start' || rep.state === 'wait_bgsave_end' ? 'wait_bgsave' : rep.state;
    const lag = rep.state === 'online' ? now - rep.ackTime : 0;
    out.push([`slave${i}`, `ip=${rep.client.announcedIp ?? rep.name},port=${rep.client.listeningPort},state=${state},offset=${rep.ackOffset},lag=${lag}`]);
  });
  out.push(['master_failover_state', s.failover.state]);
  out.push(['master_replid', s.replid]);
  out.push(['master_replid2', s.replid2]);
  out.push(['master_repl_offset', s.masterReplOffset]);
  out.push(['second_repl_offset', s.secondReplidOffset]);
  const b = s.backlog;
  out.push(['repl_backlog_active', b ? 1 : 0]);
  out.push(['repl_backlog_size', s.config.replBacklogSizeBytes]);
  out.push(['repl_backlog_first_byte_offset', b ? b.backlogOffset : 0]);
  out.push(['repl_backlog_histlen', b ? b.histlen : 0]);
  return out;
}

export function infoStats(s: RedisServer): InfoSection {
  const st = s.stats;
  return [
    ['total_commands_processed', st.totalCommandsProcessed],
    ['total_net_repl_input_bytes', st.totalNetReplInputBytes],
    ['total_net_repl_output_bytes', st.totalNetReplOutputBytes],
    ['total_error_replies', st.totalErrorReplies],
    ['total_forks', st.totalForks],
    ['sync_full', st.syncFull],
    ['sync_partial_ok', st.syncPartialOk],
    ['sync_partial_err', st.syncPartialErr],
    ['expired_keys', st.expiredKeys],
    ['evicted_keys', st.evictedKeys],
    ['keyspace_hits', st.keyspaceHits],
    ['keyspace_misses', st.keyspaceMisses],
  ];
}

export function infoPersistence(s: RedisServer): InfoSection {
  return [
    ['loading', s.loading ? 1 : 0],
    ['async_loading', s.asyncLoading ? 1 : 0],
    ['rdb_changes_since_last_save', s.dirty],
    ['rdb_saves', s.stats.rdbSaves],
    ['rdb_bgsave_in_progress', s.master.children.bgsaveInProgress ? 1 : 0],
    ['rdb_last_save_time', s.lastSave],
    ['rdb_last_bgsave_status', s.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_load_keys_expired', s.lastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', s.lastLoadKeysLoaded],
    ['aof_enabled', s.config.appendonly ? 1 : 0],
    ['aof_rewrite_in_progress', s.master.children.aofRewriteInProgress ? 1 : 0],
    ['aof_rewrite_scheduled', s.master.children.aofRewriteScheduled ? 1 : 0],
    ['aof_last_bgrewrite_status', s.aof.lastRewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', s.stats.aofRewrites],
  ];
}

export function infoMemory(s: RedisServer): InfoSection {
  const mem = s.memory;
  const used = mem.usedMemory();
  const overhead = mem.overhead();
  const repl = mem.replicationOverhead();
  return [
    ['used_memory', used],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', USED_MEMORY_STARTUP_BYTES],
    ['used_memory_dataset', used - overhead],
    ['maxmemory', s.config.maxmemoryBytes],
    ['maxmemory_policy', s.config.maxmemoryPolicy],
    ['mem_not_counted_for_evict', mem.notCountedForEviction()],
    ['mem_replication_backlog', repl.backlog],
    ['mem_total_replication_buffers', s.backlog ? s.backlog.totalMemory() : 0],
    ['mem_clients_slaves', repl.clientsSlaves],
    ['mem_clients_normal', mem.clientsNormal()],
  ];
}

export function infoKeyspace(s: RedisServer): InfoSection {
  const out: InfoSection = [];
  const ks = s.keyspace;
  for (let db = 0; db < s.config.databases; db++) {
    const keys = ks.dbsize(db);
    if (keys === 0) continue;
    // avg_ttl is computed by the active expire cycle, which only masters run.
    const avgTtl = s.isMaster ? ks.avgTtlMs(db, s.nowMs()) : 0;
    out.push([`db${db}`, `keys=${keys},expires=${ks.expiresCount(db)},avg_ttl=${avgTtl}`]);
  }
  return out;
}

const SECTIONS: Record<string, (s: RedisServer) => InfoSection> = {
  server: infoServer,
  clients: infoClients,
  memory: infoMemory,
  persistence: infoPersistence,
  stats: infoStats,
  replication: infoReplication,
  keyspace: infoKeyspace,
};

const SECTION_NAMES = Object.keys(SECTIONS);
const SECTION_HEADERS: Record<string, string> = {};
for (const name of SECTION_NAMES) SECTION_HEADERS[name] = `# ${name[0]!.toUpperCase()}${name.slice(1)}\r\n`;

/**
 * The INFO reply text as genRedisInfoString builds it: each section `# Title\r\n` then its
 * fields, every line CRLF-terminated, an empty line before every section but the first; an
 * empty section is its title line alone, and an unknown name gives an empty text (checked
 * against redis-server 7.0.15: `INFO keyspace` on an empty server is `# Keyspace\r\n`,
 * `INFO nosuch` is ""). Built by appending, with no per-line strings: every Sentinel asks
 * each instance every 10 s, so an idle cluster with Sentinels spends a visible share here.
 */
export function infoText(s: RedisServer, section?: string): string {
  const wanted = (section ?? 'default').toLowerCase();
  const names = wanted === 'default' || wanted === 'all' || wanted === 'everything' ? SECTION_NAMES : [wanted];
  let out = '';
  for (const name of names) {
    // Own keys only: `INFO constructor` names no section.
    if (!Object.hasOwn(SECTIONS, name)) continue;
    if (out !== '') out += '\r\n';
    out += SECTION_HEADERS[name]!;
    for (const line of SECTIONS[name]!(s)) out += line[0] + ':' + line[1] + '\r\n';
  }
  return out;
}
