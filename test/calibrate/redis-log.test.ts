import { describe, expect, it } from 'vitest';
import { lastSyncTransfer } from '../../sim/calibrate/redis-log.js';

// Lines as redis-server 7.0.15 writes them (serverLogRaw: pid:role day month year time.ms level message).
const LOG = [
  '4242:S 07 Dec 2026 18:50:54.100 * MASTER <-> REPLICA sync: receiving 317875 bytes from master to disk',
  '4242:S 07 Dec 2026 18:50:54.101 * MASTER <-> REPLICA sync: Flushing old data',
  '4242:S 07 Dec 2026 18:50:54.101 * MASTER <-> REPLICA sync: Loading DB in memory',
  '4242:S 07 Dec 2026 18:50:54.107 * MASTER <-> REPLICA sync: Finished with success',
  '4242:M 07 Dec 2026 18:50:55.000 * MASTER MODE enabled (user request from \'id=3 addr=127.0.0.1:1\')',
  '4242:S 07 Dec 2026 23:59:59.950 * MASTER <-> REPLICA sync: receiving 35777692 bytes from master to disk',
  '4242:S 08 Dec 2026 00:00:00.012 * MASTER <-> REPLICA sync: Flushing old data',
  '',
].join('\n');

describe('replica log: the last transfer', () => {
  it('is the last "receiving N bytes" to the "Flushing old data" after it, across midnight', () => {
    expect(lastSyncTransfer(LOG)).toEqual({ bytes: 35777692, us: 62_000 });
    expect(lastSyncTransfer(LOG.split('\n').slice(0, 4).join('\n'))).toEqual({ bytes: 317875, us: 1000 });
  });

  it('is null while a transfer has not finished, or without one', () => {
    expect(lastSyncTransfer(LOG.split('\n').slice(0, 1).join('\n'))).toBeNull();
    expect(lastSyncTransfer('4242:M 07 Dec 2026 18:50:55.000 * Ready to accept connections\n')).toBeNull();
  });
});
