/**
 * Which Redis version an INFO capture is from, and whether its fields agree with the version
 * it states. replsim models 7.0.15 and its import reads 7.0's INFO fields, whose meaning
 * changed across versions: 6.2 has no shared replication buffer (genRedisInfoString has no
 * mem_total_replication_buffers, and its backlog is a separate allocation inside used_memory),
 * so a 6.2 capture read as 7.0 overstates the dataset by the backlog. Captures of other
 * versions are therefore refused unless the user asks for them (`--any-version`), and a
 * capture whose fields belong to another version than the one it states (an edited or
 * spliced file) is refused always. The field lists come from genRedisInfoString in
 * 6.2.14, 7.0.15 and 7.2.4's server.c: a field of another version present betrays the file;
 * a missing 7.0 field counts only when its section was captured and 7.0 always prints it.
 */
import { CaptureError, type InfoCapture } from './captures.js';

/** Fields 7.0 added (absent from 6.2), with the INFO section that always holds them. */
const SINCE_7_0: ReadonlyArray<[string, string]> = [
  ['mem_total_replication_buffers', 'memory'],
  ['total_net_repl_output_bytes', 'stats'],
];
/** Fields 6.2 has and 7.0 removed. */
const UNTIL_6_2 = ['aof_rewrite_buffer_length'];
/** Fields 7.2 added. */
const SINCE_7_2 = ['acl_access_denied_auth', 'total_blocking_keys'];

export type VersionFamily = '6.2' | '7.0' | '7.2+';

/**
 * The capture's version family; throws when its version is not readable, when it is not 7.0
 * and `anyVersion` is off, or when its fields are of another version than it says.
 */
export function checkInfoVersion(file: string, capture: InfoCapture, anyVersion: boolean): VersionFamily {
  const version = capture.fields.get('redis_version');
  const vline = capture.lines.get('redis_version') ?? capture.line;
  if (version === undefined) {
    throw new CaptureError(file, capture.line, 'no redis_version: field: the INFO capture lacks its Server section (truncated?)',
      'capture `INFO everything` from each node');
  }
  const m = /^(\d+)\.(\d+)\./.exec(version);
  const major = m ? Number(m[1]) * 100 + Number(m[2]) : -1;
  if (major < 602 || major >= 800) {
    throw new CaptureError(file, vline, `redis_version ${version}: replsim models Redis 7.0, and reads INFO of 6.2 to 7.x only`,
      'capture a Redis 6.2–7.x deployment, or write the scenario by hand (scenarios/FORMAT.md)');
  }
  const family: VersionFamily = major === 602 ? '6.2' : major === 700 ? '7.0' : '7.2+';
  const foreign = foreignField(capture, family);
  if (foreign !== null) {
    throw new CaptureError(file, foreign.line, `redis_version says ${version}, but ${foreign.why}: fields of another Redis version`,
      'the file was edited, or captures of different servers were joined: capture the node again with `redis-cli INFO everything`');
  }
  if (family !== '7.0' && !anyVersion) {
    throw new CaptureError(file, vline, `redis_version ${version}: replsim models Redis 7.0, whose INFO fields this import reads; ${family === '6.2' ? "6.2's used_memory counts the replication backlog differently" : 'a later version adds fields and settings replsim does not model'}`,
      'to import it anyway (figures from fields whose meaning changed are then approximate), add --any-version');
  }
  return family;
}

function foreignField(c: InfoCapture, family: VersionFamily): { line: number; why: string } | null {
  const present = (f: string): { line: number; why: string } | null =>
    c.fields.has(f) ? { line: c.lines.get(f) ?? c.line, why: `${f} is not a field of that version` } : null;
  if (family !== '6.2') {
    for (const f of UNTIL_6_2) {
      const p = present(f);
      if (p) return p;
    }
  }
  if (family !== '7.2+') {
    for (const f of SINCE_7_2) {
      const p = present(f);
      if (p) return p;
    }
  }
  if (family === '6.2') {
    for (const [f] of SINCE_7_0) {
      const p = present(f);
      if (p) return p;
    }
  } else {
    for (const [f, section] of SINCE_7_0) {
      if (c.sections.has(section) && !c.fields.has(f)) return { line: c.line, why: `its ${section} section lacks ${f}, which that version always prints` };
    }
  }
  return null;
}
