/**
 * INFO server and INFO clients, field for field as genRedisInfoString writes them at 7.0.15.
 * Sentinel reads `run_id` here (a new random id at every process start, which is how it
 * notices a reboot: +reboot). Build and host facts are those of the Debian bookworm
 * package the differential tests run; process_id, the executable and the clients' buffer
 * peaks are modelled constants, not measurements.
 *
 * connected_clients counts the connections that are not replicas (listLength(server.clients)
 * - listLength(server.slaves)), the master link included; the simulation's in-process
 * workload sessions are not connections and are not counted.
 */
import type { InfoSection } from './info.js';
import type { RedisServer } from './server.js';

const LRU_CLOCK_MAX = (1 << 24) - 1;

export function infoServer(s: RedisServer): InfoSection {
  const nowMs = s.nowMs();
  const uptimeSec = Math.floor((s.sim.now - s.bootedAtUs) / 1e6);
  return [
    ['redis_version', '7.0.15'],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', 'ae4d7c971a948f0'],
    ['redis_mode', 'standalone'],
    ['os', 'Linux 6.1.0-replsim x86_64'],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '12.2.0'],
    ['process_id', 1000 + s.incarnation],
    ['process_supervised', 'no'],
    ['run_id', s.runId],
    ['tcp_port', s.config.port],
    ['server_time_usec', nowMs * 1000 + (s.sim.now % 1000)],
    ['uptime_in_seconds', uptimeSec],
    ['uptime_in_days', Math.floor(uptimeSec / 86400)],
    ['hz', s.config.hz],
    ['configured_hz', s.config.hz],
    ['lru_clock', Math.floor(nowMs / 1000) & LRU_CLOCK_MAX],
    ['executable', '/usr/bin/redis-server'],
    ['config_file', s.configFile ?? ''],
    ['io_threads_active', 0],
  ];
}

export function infoClients(s: RedisServer): InfoSection {
  let connected = 0;
  for (const c of s.master.clients) if (!c.replica) connected++;
  if (s.replica.state === 'connected') connected++;
  return [
    ['connected_clients', connected],
    ['cluster_connections', 0],
    ['maxclients', 10000],
    ['client_recent_max_input_buffer', 20480],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', s.commands.blocked.count],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', s.commands.blocked.count],
  ];
}
