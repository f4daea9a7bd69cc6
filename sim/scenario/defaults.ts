/**
 * replsim's scenario defaults where they differ from redis.conf's compiled defaults: the
 * differential harness starts every redis-server with `--save ''` unless the scenario asks
 * for persistence, so a scenario means the same thing in the simulator and against Redis.
 */
import { defaultRedisConfig, type RedisConfig } from '../redis/index.js';

export function scenarioBaseConfig(): RedisConfig {
  return { ...defaultRedisConfig(), save: [] };
}
