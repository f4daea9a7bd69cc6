import { describe, expect, it } from 'vitest';
import { parseSentinelConf, SentinelConfigError } from '../../sim/sentinel/index.js';

describe('parseSentinelConf (sentinelHandleConfiguration)', () => {
  it('reads monitor and per-master options, whatever their order (loadSentinelConfigFromQueue applies monitor first)', () => {
    const c = parseSentinelConf(
      [
        'port 26380',
        'sentinel down-after-milliseconds mymaster 5000',
        'sentinel monitor mymaster m1 6379 2',
        'sentinel failover-timeout mymaster 60000',
        'sentinel parallel-syncs mymaster 3',
        'sentinel auth-pass mymaster secret',
      ].join('\n'),
    );
    expect(c.port).toBe(26380);
    expect(c.masters).toHaveLength(1);
    expect(c.masters[0]).toMatchObject({ name: 'mymaster', host: 'm1', port: 6379, quorum: 2, downAfterMs: 5000, failoverTimeoutMs: 60000, parallelSyncs: 3, authPass: 'secret' });
  });

  it('uses the sentinel.c defaults: down-after 30 s, failover-timeout 180 s, parallel-syncs 1, port 26379', () => {
    const c = parseSentinelConf('sentinel monitor mymaster m1 6379 2');
    expect(c.port).toBe(26379);
    expect(c.masters[0]).toMatchObject({ downAfterMs: 30000, failoverTimeoutMs: 180000, parallelSyncs: 1, masterRebootDownAfterPeriodMs: 0 });
    expect(c.timings).toMatchObject({ infoPeriodMs: 10000, pingPeriodMs: 1000, publishPeriodMs: 2000, tiltTriggerMs: 2000, tiltPeriodMs: 30000 });
  });

  it('suggests the right name for a misspelt option', () => {
    try {
      parseSentinelConf('sentinel monitor mymaster m1 6379 2\nsentinel down-after-milisecond mymaster 5000');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SentinelConfigError);
      expect((e as SentinelConfigError).line).toBe(2);
      expect((e as Error).message).toContain('did you mean "down-after-milliseconds"?');
    }
  });

  it('refuses a quorum below 1, a duplicate master, and options for an unknown master with Redis words', () => {
    expect(() => parseSentinelConf('sentinel monitor m m1 6379 0')).toThrow('Quorum must be 1 or greater.');
    expect(() => parseSentinelConf('sentinel monitor m m1 6379 1\nsentinel monitor m m2 6379 1')).toThrow('Duplicate master name.');
    expect(() => parseSentinelConf('sentinel failover-timeout nope 1000')).toThrow('No such master with specified name.');
    expect(() => parseSentinelConf('sentinel myid abc')).toThrow('Malformed Sentinel id');
  });
});
