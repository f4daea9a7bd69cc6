import { describe, expect, it } from 'vitest';
import {
  ConfigError, formatConfigValue, KNOWN_REDIS_OPTIONS, parseRedisConfig, parseRedisConfigOption,
} from '../../sim/redis/config-parse.js';
import { defaultRedisConfig } from '../../sim/redis/config.js';

function configError(raw: Record<string, unknown>): ConfigError {
  try {
    parseRedisConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseRedisConfig', () => {
  it('reads sizes with memtoll semantics: 1mb = 1048576, 1m = 1000000, bare = bytes', () => {
    expect(parseRedisConfig({ 'repl-backlog-size': '1mb' })).toEqual({ replBacklogSizeBytes: 1048576 });
    expect(parseRedisConfig({ 'repl-backlog-size': '1m' })).toEqual({ replBacklogSizeBytes: 1000000 });
    expect(parseRedisConfig({ 'repl-backlog-size': '64KB' })).toEqual({ replBacklogSizeBytes: 65536 });
    expect(parseRedisConfig({ maxmemory: 1024 })).toEqual({ maxmemoryBytes: 1024 });
  });
  it('reads yes/no booleans, case-insensitively; YAML true/false too', () => {
    expect(parseRedisConfig({ 'replica-read-only': 'yes', appendonly: 'NO', 'repl-diskless-sync': false })).toEqual({
      replicaReadOnly: true, appendonly: false, replDisklessSync: false,
    });
    const e = configError({ appendonly: 'true' });
    expect(e.message).toBe('expected yes or no, got "true"');
    expect(e.hint).toMatch(/yes or no/);
  });
  it('reads integers with Redis ranges, as YAML numbers or strings', () => {
    expect(parseRedisConfig({ 'repl-timeout': 60, 'repl-backlog-ttl': '0' })).toEqual({ replTimeoutSec: 60, replBacklogTtlSec: 0 });
    expect(configError({ 'repl-timeout': 0 }).message).toMatch(/from 1 to 2147483647, got "0"/);
    expect(configError({ 'repl-timeout': 1.5 }).message).toMatch(/got "1.5"/);
    expect(configError({ port: 70000 }).message).toMatch(/from 0 to 65535/);
  });
  it('reads enums case-insensitively with did-you-mean', () => {
    expect(parseRedisConfig({ 'repl-diskless-load': 'SwapDB', 'maxmemory-policy': 'allkeys-lru', appendfsync: 'always' })).toEqual({
      replDisklessLoad: 'swapdb', maxmemoryPolicy: 'allkeys-lru', appendfsync: 'always',
    });
    expect(configError({ 'maxmemory-policy': 'allkeys-lr' }).hint).toBe('did you mean allkeys-lru?');
  });
  it('reads save points and save ""', () => {
    expect(parseRedisConfig({ save: '' })).toEqual({ save: [] });
    expect(parseRedisConfig({ save: null })).toEqual({ save: [] });
    expect(parseRedisConfig({ save: '3600 1 300 100' })).toEqual({ save: [{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }] });
    expect(configError({ save: '3600' }).message).toMatch(/pairs/);
  });
  it('reads client-output-buffer-limit for the replica class (slave is an alias), ignoring other classes', () => {
    const want = { clientOutputBufferLimitReplica: { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 } };
    expect(parseRedisConfig({ 'client-output-buffer-limit': 'replica 256mb 64mb 60' })).toEqual(want);
    expect(parseRedisConfig({ 'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 32mb 8mb 60' })).toEqual(want);
    expect(configError({ 'client-output-buffer-limit': 'replica 256mb' }).message).toMatch(/<class> <hard> <soft> <soft-seconds>/);
    expect(configError({ 'client-output-buffer-limit': 'replca 1 1 1' }).hint).toBe('did you mean replica?');
  });
  it('reads the active-expire pseudo-option and old slave-* aliases', () => {
    expect(parseRedisConfig({ 'active-expire': 'no', 'slave-priority': 5, 'min-slaves-to-write': 1 })).toEqual({
      activeExpireEnabled: false, replicaPriority: 5, minReplicasToWrite: 1,
    });
    expect(configError({ 'slave-read-only': 'yes', 'replica-read-only': 'no' }).message).toMatch(/sets the same option as "slave-read-only"/);
  });
  it('rejects unknown names with did-you-mean, and real-but-unmodelled ones by saying so', () => {
    const typo = configError({ 'repl-timout': 5 });
    expect([typo.option, typo.reason, typo.hint]).toEqual(['repl-timout', 'unknown-option', 'did you mean repl-timeout?']);
    expect(configError({ 'repl-backlog-szie': '1mb' }).hint).toBe('did you mean repl-backlog-size?');
    const real = configError({ 'tcp-keepalive': 300 });
    expect(real.reason).toBe('not-modelled');
    expect(real.message).toBe('"tcp-keepalive" is a real Redis option that replsim does not model');
    expect(configError({ loglevel: 'debug' }).reason).toBe('not-modelled');
  });
  it('rejects maps and lists as values', () => {
    expect(configError({ 'repl-timeout': { a: 1 } }).message).toMatch(/got a map/);
  });
  it('covers every RedisConfig field with some option', () => {
    const fields = new Set<string>();
    for (const name of KNOWN_REDIS_OPTIONS) {
      const text = formatConfigValue(name)!;
      for (const k of Object.keys(parseRedisConfigOption(name, name === 'replicaof' ? 'h 1' : text))) fields.add(k);
    }
    expect([...fields].sort()).toEqual(Object.keys(defaultRedisConfig()).sort());
  });
});

describe('formatConfigValue', () => {
  it('prints CONFIG GET style values over the defaults', () => {
    expect(formatConfigValue('repl-backlog-size')).toBe('1048576');
    expect(formatConfigValue('repl-diskless-sync', { replDisklessSync: false })).toBe('no');
    expect(formatConfigValue('save')).toBe('3600 1 300 100 60 10000');
    expect(formatConfigValue('client-output-buffer-limit')).toBe('replica 268435456 67108864 60');
    expect(formatConfigValue('slave-read-only')).toBe('yes');
    expect(formatConfigValue('tcp-keepalive')).toBeUndefined();
  });
  it('round-trips every option through parse', () => {
    const d = defaultRedisConfig();
    for (const name of KNOWN_REDIS_OPTIONS) {
      if (name === 'replicaof' || name === 'masterauth' || name === 'replica-announce-ip') continue; // null defaults
      const parsed = parseRedisConfigOption(name, formatConfigValue(name)!);
      for (const [k, v] of Object.entries(parsed)) expect(v).toEqual(d[k as keyof typeof d]);
    }
  });
});
