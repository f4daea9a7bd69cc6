import { describe, expect, it } from 'vitest';
import { sentinelConfText, sentinelDebugArgv } from '../../sim/diff/sentinel-conf.js';
import { parseScenario } from '../../sim/scenario/load.js';

const yaml = [
  'name: x',
  'nodes: { m1: {}, r1: { replicaof: m1 } }',
  'sentinels: { s1: {}, s2: { config: { down-after-milliseconds: 3000 } } }',
  'sentinel:',
  '  monitor: { name: mymaster, master: m1, quorum: 2 }',
  '  down-after-milliseconds: 1000',
  '  failover-timeout: 10000',
  '  debug: { publish-period: 500, election-timeout: 700 }',
  '',
].join('\n');

describe('sentinel.conf for a real redis-sentinel', () => {
  const s = parseScenario(yaml, 'x.yaml');
  const ports: Record<string, number> = { m1: 41000, s1: 41001, s2: 41002 };

  it('monitors the master at its front proxy and announces its own', () => {
    const text = sentinelConfText(s.sentinels![0]!, { announcePort: ports['s1']!, frontPortOf: (n) => ports[n]! });
    expect(text.split('\n')).toEqual([
      'sentinel announce-ip 127.0.0.1',
      'sentinel announce-port 41001',
      'sentinel monitor mymaster 127.0.0.1 41000 2',
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 10000',
      'sentinel parallel-syncs mymaster 1',
      '',
    ]);
  });

  it('keeps a Sentinel\'s own overrides', () => {
    const text = sentinelConfText(s.sentinels![1]!, { announcePort: ports['s2']!, frontPortOf: (n) => ports[n]! });
    expect(text).toContain('sentinel down-after-milliseconds mymaster 3000\n');
  });

  it('sets with SENTINEL DEBUG only the timings that differ from sentinel.c\'s, in its order', () => {
    expect(sentinelDebugArgv(s.sentinels![0]!.config.timings)).toEqual(['SENTINEL', 'DEBUG', 'publish-period', '500', 'election-timeout', '700']);
    const plain = parseScenario(yaml.replace('  debug: { publish-period: 500, election-timeout: 700 }\n', ''), 'y.yaml');
    expect(sentinelDebugArgv(plain.sentinels![0]!.config.timings)).toBeNull();
  });
});
