/**
 * sentinelRefreshInstanceInfo's line walk against a plain reference: split on "\r\n"
 * (sdssplitlen) and test every line against every prefix in sentinel.c's order. Random
 * texts mix real INFO lines with stray CRs and LFs, so lines that end in a lone CR or hold
 * a lone LF are covered too.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { sentinelRefreshInstanceInfo } from '../../sim/sentinel/info-parse.js';
import type { SentinelRedisInstance } from '../../sim/sentinel/instance.js';
import { SentinelWorld } from '../helpers/sentinel-world.js';

interface Parsed {
  runid: string | null;
  role: string | null;
  masterLinkDownTime: number;
  slaveMasterHost: string | null;
  slaveMasterPort: number;
  slaveMasterLinkStatusUp: boolean;
  slavePriority: number;
  slaveReplOffset: number;
  replicaAnnounced: number;
  slaveLines: string[];
}

/** The fields sentinelRefreshInstanceInfo reads, parsed the plain way (split, then every test in order). */
function reference(info: string, start: Parsed, isMaster: boolean): Parsed {
  const p: Parsed = { ...start, slaveLines: [], role: null, masterLinkDownTime: 0 };
  let role: string | null = null;
  for (const l of info.split('\r\n')) {
    if (l.length >= 47 && l.startsWith('run_id:')) p.runid = l.slice(7, 47);
    else if (isMaster && l.length >= 7 && l.startsWith('slave') && l.charCodeAt(5) >= 48 && l.charCodeAt(5) <= 57) {
      if (l.includes(':')) p.slaveLines.push(l);
    } else if (l.startsWith('master_link_down_since_seconds:')) p.masterLinkDownTime = Number.parseInt(l.slice(31), 10) * 1000;
    else if (l.startsWith('role:master')) role = 'master';
    else if (l.startsWith('role:slave')) role = 'slave';
    else if (role === 'slave') {
      if (l.startsWith('master_host:')) p.slaveMasterHost = l.slice(12);
      else if (l.startsWith('master_port:')) p.slaveMasterPort = Number.parseInt(l.slice(12), 10);
      else if (l.startsWith('master_link_status:')) p.slaveMasterLinkStatusUp = l === 'master_link_status:up';
      else if (l.startsWith('slave_priority:')) p.slavePriority = Number.parseInt(l.slice(15), 10);
      else if (l.startsWith('slave_repl_offset:')) p.slaveReplOffset = Number.parseInt(l.slice(18), 10);
      else if (l.startsWith('replica_announced:')) p.replicaAnnounced = Number.parseInt(l.slice(18), 10);
    }
  }
  p.role = role;
  return p;
}

function fieldsOf(ri: SentinelRedisInstance): Omit<Parsed, 'role' | 'slaveLines'> {
  return {
    runid: ri.runid,
    masterLinkDownTime: ri.masterLinkDownTime,
    slaveMasterHost: ri.slaveMasterHost,
    slaveMasterPort: ri.slaveMasterPort,
    slaveMasterLinkStatusUp: ri.slaveMasterLinkStatusUp,
    slavePriority: ri.slavePriority,
    slaveReplOffset: ri.slaveReplOffset,
    replicaAnnounced: ri.replicaAnnounced,
  };
}

const RUNID = 'a'.repeat(40);
const lineArb = fc.oneof(
  fc.constantFrom(
    `run_id:${RUNID}`,
    `run_id:${'b'.repeat(39)}`,
    'role:master',
    'role:slave',
    'role:sla',
    'master_host:m9',
    'master_host:',
    'master_port:6390',
    'master_link_status:up',
    'master_link_status:upx',
    'master_link_status:down',
    'master_link_down_since_seconds:7',
    'slave_priority:55',
    'slave_repl_offset:12345',
    'replica_announced:0',
    'slave0:ip=r9,port=6391,state=online,offset=1,lag=0',
    'slave1:r8,6392,online',
    'slave2',
    'slavex:ip=r7,port=1',
    'redis_version:7.0.15',
    'repl_backlog_active:1',
    'master_repl_offset:99',
    'mem_clients_normal:0',
    '# Replication',
    '',
  ),
  fc.string({ unit: fc.constantFrom('r', 's', 'm', 'o', 'l', 'e', ':', '\r', '\n', '_', '1'), maxLength: 12 }),
);
const sepArb = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '\r\r\n', '\n\r\n');
const textArb = fc.array(fc.tuple(lineArb, sepArb), { maxLength: 30 }).map((ls) => ls.map(([l, sep]) => l + sep).join(''));

describe('sentinelRefreshInstanceInfo', () => {
  const w = new SentinelWorld({ sentinels: 1 });
  w.runFor(3);
  const s = w.sentinels[0]!;
  // TILT: only the parse runs, not the acting half (SLAVEOF and the like).
  s.tilt = true;
  const m = s.masters.get('mymaster')!;
  const r = [...m.slaves.values()][0]!;
  const start: Parsed = {
    runid: null,
    role: null,
    masterLinkDownTime: 0,
    slaveMasterHost: null,
    slaveMasterPort: 0,
    slaveMasterLinkStatusUp: false,
    slavePriority: 100,
    slaveReplOffset: 0,
    replicaAnnounced: 1,
    slaveLines: [],
  };
  const reset = (ri: SentinelRedisInstance): void => {
    ri.runid = start.runid;
    ri.slaveMasterHost = start.slaveMasterHost;
    ri.slaveMasterPort = start.slaveMasterPort;
    ri.slaveMasterLinkStatusUp = start.slaveMasterLinkStatusUp;
    ri.slavePriority = start.slavePriority;
    ri.slaveReplOffset = start.slaveReplOffset;
    ri.replicaAnnounced = start.replicaAnnounced;
  };

  // An LF first (it ends no line: the first line runs to the first CRLF), a CR alone, a CR LF LF.
  const examples: [string][] = [['\nrole:slave\r\nmaster_port:1\r\n'], ['role:slave\rmaster_port:2\r\nmaster_port:3'], ['role:slave\r\n\nmaster_port:4\r\n\r\n']];
  test.prop([textArb], { numRuns: 400, examples })('reads the same fields as a split-and-test-every-prefix parse', (info) => {
    for (const ri of [r, m]) {
      reset(ri);
      const before = new Set(m.slaves.keys());
      const want = reference(info, start, ri === m);
      sentinelRefreshInstanceInfo(s, ri, info, s.mstime());
      const { role, slaveLines, ...fields } = want;
      expect(fieldsOf(ri)).toEqual(fields);
      if (role !== null) expect(ri.roleReported).toBe(role);
      // The slaveN lines with an address add these replicas (once each).
      const added = [...m.slaves.keys()].filter((k) => !before.has(k));
      for (const k of added) expect(slaveLines.some((l) => l.includes(k.split(':')[0]!))).toBe(true);
      if (slaveLines.some((l) => l.includes('r9'))) expect([...m.slaves.keys()]).toContain('r9:6391');
      if (slaveLines.some((l) => l.startsWith('slave1:r8,6392'))) expect([...m.slaves.keys()]).toContain('r8:6392');
    }
  });
});
