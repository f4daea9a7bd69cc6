/**
 * The redis layer's public API: the server process, its configuration and cost model, the
 * INFO sections, and the reply type clients read. Outside layers import this file only;
 * inside, protocol/ <- data/ <- commands/ <- the process files (docs/layers.md).
 */
export { RedisServer, type ServerEnv } from './server.js';
export type { ClientSession } from './command-processor.js';
export { defaultRedisConfig, type RedisConfig } from './config.js';
export {
  ConfigError,
  KNOWN_REDIS_OPTIONS,
  REDIS_OPTION_ALIASES,
  configValueText,
  formatConfigValue,
  lookupRedisOption,
  parseRedisConfigOption,
  resolveRedisOption,
} from './config-parse.js';
export { defaultCostModel, flushCost, forkCost, rdbLoadCost, rdbSaveCost, type CostModel } from './cost-model.js';
export { infoMemory, infoPersistence, infoReplication, infoStats, type InfoSection } from './info.js';
export { PLANTED_BUGS, isPlantedBug, type PlantedBug } from './planted-bugs.js';
export { Keyspace } from './data/keyspace.js';
export { KeyTable } from './data/key-table.js';
export { formatReply, type Reply } from './protocol/reply.js';
export { CONNECTION_CLOSED, CONNECTION_REFUSED } from './protocol/client-errors.js';
export { type ValueCompressibility } from './data/rdb-size.js';
export { utf8ByteLength } from './protocol/resp.js';
export { respCommandBytes } from './protocol/resp.js';
export { keyPositions } from './commands/key-specs.js';
export { type WireMessage } from './wire.js';
