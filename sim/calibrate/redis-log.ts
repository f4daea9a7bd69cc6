/**
 * What a replica's log says about its last full sync's transfer. readSyncBulkPayload logs
 * "MASTER <-> REPLICA sync: receiving N bytes from master to disk" when it reads the
 * "$<len>" line, and "MASTER <-> REPLICA sync: Flushing old data" once the last byte is in
 * its temp file; serverLogRaw stamps each line to the millisecond ("07 Dec 2026
 * 18:50:54.123"), so a transfer is known to ±1 ms. Pure: log text in, numbers out.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STAMP = /^\d+:[A-Z] (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) . (.*)$/;

/** A log line's time in ms since the epoch (the server's local time read as UTC: only differences matter). */
function lineMs(m: RegExpExecArray): number {
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}

/** The last finished disk-based transfer in the log: its bytes and duration in µs (whole ms), or null when the log has none. */
export function lastSyncTransfer(log: string): { bytes: number; us: number } | null {
  let start: { ms: number; bytes: number } | null = null;
  let found: { bytes: number; us: number } | null = null;
  for (const line of log.split('\n')) {
    const m = STAMP.exec(line);
    if (m === null) continue;
    const recv = /^MASTER <-> REPLICA sync: receiving (\d+) bytes from master to disk/.exec(m[8]!);
    if (recv !== null) start = { ms: lineMs(m), bytes: Number(recv[1]) };
    else if (start !== null && m[8]!.startsWith('MASTER <-> REPLICA sync: Flushing old data')) {
      found = { bytes: start.bytes, us: (lineMs(m) - start.ms) * 1000 };
      start = null;
    }
  }
  return found;
}
