/**
 * What the logs of a full sync say about its phases. The master logs "Background saving
 * started by pid N" after the fork and its child "DB saved on disk" when the RDB is written
 * (rdbSaveBackground, rdbSave); the replica's readSyncBulkPayload logs "receiving N bytes
 * from master to disk" when it reads the "$<len>" line, "Flushing old data" once the last
 * byte is in its temp file, then "Loading DB in memory" and rdbLoad's "Done loading RDB".
 * serverLogRaw stamps each line to the millisecond ("07 Dec 2026 18:50:54.123"), so each
 * phase is known to ±1 ms. Pure: log text in, numbers out.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STAMP = /^\d+:[A-Z] (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) . (.*)$/;

interface Line {
  ms: number;
  text: string;
}

/** The stamped lines of a log, each with its time in ms (the server's local time read as UTC: only differences matter). */
function lines(log: string): Line[] {
  const out: Line[] = [];
  for (const raw of log.split('\n')) {
    const m = STAMP.exec(raw);
    if (m === null) continue;
    out.push({ ms: Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])), text: m[8]! });
  }
  return out;
}

/** The last span from a line starting with `from` to the first line starting with `to` after it, in µs; null if none finished. */
function lastSpan(ls: readonly Line[], from: string, to: string): { us: number; start: Line } | null {
  let start: Line | null = null;
  let found: { us: number; start: Line } | null = null;
  for (const l of ls) {
    if (l.text.startsWith(from)) start = l;
    else if (start !== null && l.text.startsWith(to)) {
      found = { us: (l.ms - start.ms) * 1000, start };
      start = null;
    }
  }
  return found;
}

/** The last finished disk-based transfer in a replica's log: its bytes and duration in µs (whole ms), or null. */
export function lastSyncTransfer(log: string): { bytes: number; us: number } | null {
  const span = lastSpan(lines(log), 'MASTER <-> REPLICA sync: receiving ', 'MASTER <-> REPLICA sync: Flushing old data');
  if (span === null) return null;
  const bytes = /receiving (\d+) bytes/.exec(span.start.text);
  return { bytes: Number(bytes?.[1] ?? 0), us: span.us };
}

/** The last sync's load in a replica's log ("Loading DB in memory" → "Done loading RDB"), µs; null if none. */
export function lastSyncLoad(log: string): number | null {
  return lastSpan(lines(log), 'MASTER <-> REPLICA sync: Loading DB in memory', 'Done loading RDB')?.us ?? null;
}

/** The last BGSAVE child's work in a master's log (after the fork → "DB saved on disk"), µs; null if none. */
export function lastChildSave(log: string): number | null {
  return lastSpan(lines(log), 'Background saving started by pid', 'DB saved on disk')?.us ?? null;
}
