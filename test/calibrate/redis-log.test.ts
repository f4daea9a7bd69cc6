import { describe, expect, it } from 'vitest';
import { lastChildSave, lastSyncLoad, lastSyncTransfer } from '../../sim/calibrate/redis-log.js';

// Lines as redis-server 7.0.15 writes them (serverLogRaw: pid:role day month year time.ms level message).
const LOG = [
  '4242:S 07 Dec 2026 18:50:54.100 * MASTER <-> REPLICA sync: receiving 317875 bytes from master to disk',
  '4242:S 07 Dec 2026 18:50:54.101 * MASTER <-> REPLICA sync: Flushing old data',
  '4242:S 07 Dec 2026 18:50:54.101 * MASTER <-> REPLICA sync: Loading DB in memory',
  '4242:S 07 Dec 2026 18:50:54.107 * MASTER <-> REPLICA sync: Finished with success',
  '4242:M 07 Dec 2026 18:50:55.000 * MASTER MODE enabled (user request from \'id=3 addr=127.0.0.1:1\')',
  '4242:S 07 Dec 2026 23:59:59.950 * MASTER <-> REPLICA sync: receiving 35777692 bytes from master to disk',
  '4242:S 08 Dec 2026 00:00:00.012 * MASTER <-> REPLICA sync: Flushing old data',
  '4242:S 08 Dec 2026 00:00:00.012 * MASTER <-> REPLICA sync: Loading DB in memory',
  '4242:S 08 Dec 2026 00:00:00.019 * Loading RDB produced by version 7.0.15',
  '4242:S 08 Dec 2026 00:00:00.921 * Done loading RDB, keys loaded: 1000000, keys expired: 0.',
  '',
].join('\n');

// The master's log, its BGSAVE child's lines among them (role C, the child's pid).
const MASTER_LOG = [
  '29971:M 07 Dec 2026 19:12:08.265 * Starting BGSAVE for SYNC with target: disk',
  '29971:M 07 Dec 2026 19:12:08.266 * Background saving started by pid 30001',
  '30001:C 07 Dec 2026 19:12:08.393 * DB saved on disk',
  '29971:M 07 Dec 2026 19:12:09.475 * Background saving started by pid 30043',
  '30043:C 07 Dec 2026 19:12:11.251 * DB saved on disk',
  '30043:C 07 Dec 2026 19:12:11.257 * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
  '29971:M 07 Dec 2026 19:12:11.283 * Background saving terminated with success',
].join('\n');

describe('replica log: the last transfer', () => {
  it('is the last "receiving N bytes" to the "Flushing old data" after it, across midnight', () => {
    expect(lastSyncTransfer(LOG)).toEqual({ bytes: 35777692, us: 62_000 });
    expect(lastSyncTransfer(LOG.split('\n').slice(0, 4).join('\n'))).toEqual({ bytes: 317875, us: 1000 });
  });

  it('the last sync\'s load and the last BGSAVE child, each from its own log', () => {
    expect(lastSyncLoad(LOG)).toBe(909_000);
    expect(lastSyncLoad(LOG.split('\n').slice(0, 8).join('\n'))).toBeNull();
    expect(lastChildSave(MASTER_LOG)).toBe(1_776_000);
    expect(lastChildSave(MASTER_LOG.split('\n').slice(0, 3).join('\n'))).toBe(127_000);
    expect(lastChildSave(LOG)).toBeNull();
  });

  it('is null while a transfer has not finished, or without one', () => {
    expect(lastSyncTransfer(LOG.split('\n').slice(0, 1).join('\n'))).toBeNull();
    expect(lastSyncTransfer('4242:M 07 Dec 2026 18:50:55.000 * Ready to accept connections\n')).toBeNull();
  });
});
