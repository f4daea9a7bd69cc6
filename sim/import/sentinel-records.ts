/**
 * The replies of SENTINEL MASTERS, SENTINEL REPLICAS <master> and SENTINEL SENTINELS <master>
 * as redis-cli writes them: an array of instances, each a flat field/value list that
 * addReplySentinelRedisInstance starts with `name`. Written to a file, redis-cli prints one
 * item per line; on a terminal it numbers and quotes them (` 1)  1) "name"`): both are read.
 */
import { CaptureError, checkIsText } from './captures.js';

export interface SentinelRecord {
  /** The line of its `name` field (1-based). */
  line: number;
  fields: Map<string, { text: string; line: number }>;
}

/**
 * The records of a capture. `command` names the capture in messages and hints; an empty
 * file is an empty reply when `emptyIsReply` (a master without replicas or peers).
 */
export function parseSentinelReply(file: string, text: string, command: string, emptyIsReply: boolean): SentinelRecord[] {
  checkIsText(file, text);
  const hint = `capture it with \`redis-cli -h HOST -p 26379 ${command} > FILE\``;
  const items: Array<{ text: string; line: number }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const item = raw.replace(/^\s*(\d+\)\s+)+/, '').trim().replace(/^"(.*)"$/, '$1');
    if (item !== '' && item !== '(empty array)') items.push({ text: item, line: i + 1 });
  });
  if (items.length === 0) {
    if (emptyIsReply) return [];
    throw new CaptureError(file, 0, 'the file is empty', hint);
  }
  const first = items[0]!;
  if (/^(ERR|NOAUTH|WRONGPASS|NOPERM)\b|^\(error\)/.test(first.text)) {
    throw new CaptureError(file, first.line, `the capture holds an error reply: "${first.text.slice(0, 80)}"`,
      'capture from a Sentinel (port 26379 by default) with the master name SENTINEL MASTERS shows, authenticating with -a or --user/--pass if it asks');
  }
  if (first.text !== 'name') {
    throw new CaptureError(file, first.line, `"${first.text.slice(0, 80)}" does not start a ${command.split(' ').slice(0, 2).join(' ')} reply (its first field is name)`, hint);
  }
  const records: SentinelRecord[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const key = items[i]!;
    const value = items[i + 1];
    if (value === undefined) throw new CaptureError(file, key.line, `field "${key.text}" has no value (truncated capture?)`, hint);
    if (key.text === 'name') records.push({ line: key.line, fields: new Map() });
    records[records.length - 1]!.fields.set(key.text, value);
  }
  return records;
}

/** A field's value as a whole number, or a capture error at its line. */
export function wholeNumber(file: string, r: SentinelRecord, field: string, command: string): number {
  const v = r.fields.get(field);
  const n = Number(v?.text);
  if (v === undefined || v.text === '' || !Number.isInteger(n) || n < 0) {
    throw new CaptureError(file, v?.line ?? r.line, v === undefined ? `the record of ${r.fields.get('name')?.text ?? '?'} lacks its ${field} field (truncated capture?)` : `${field} "${v.text}" is not a whole number`,
      `capture it with \`redis-cli -h HOST -p 26379 ${command} > FILE\``);
  }
  return n;
}
