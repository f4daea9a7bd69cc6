/**
 * CONFIG REWRITE (config.c rewriteConfig at 7.0.15). A server started without a config file
 * answers "ERR The server is running without a config file" — what redis-server 7.0.15 says
 * when started from command-line options only, as the differential harness (`replsim diff`)
 * starts it, and what a RedisServer says unless `configFile` is set. With a file, the running
 * configuration becomes what the next boot reads: CONFIG SET changes and the replication
 * role (`replicaof <host> <port>`, or none on a master; rewriteConfigReplicaOfOption), so
 * an instance Sentinel reconfigured comes back after a restart with the role Sentinel gave it.
 */
import { err, ok, type Reply } from './protocol/reply.js';
import type { RedisServer } from './server.js';

export function configRewrite(s: RedisServer): Reply {
  if (s.configFile === null) return err('ERR The server is running without a config file');
  const host = s.replica.masterHost;
  s.bootConfig = { ...s.config, replicaof: host === null ? null : { host, port: s.replica.masterPort } };
  s.trace('config.rewrite', { file: s.configFile, replicaof: host === null ? 'no one' : `${host} ${s.replica.masterPort}` });
  return ok();
}
