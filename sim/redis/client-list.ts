/**
 * The server's clients as CLIENT LIST / INFO / KILL see them (networking.c at 7.0.15:
 * clientCommand's LIST, INFO and KILL, with catClientInfoString and getClientType), and RESET
 * (clearClientConnectionState).
 *
 * Who is a client here: every accepted connection (normal, pubsub, or a replica once it
 * sent SYNC/PSYNC) and, on a replica whose link is up, the master link (type master). The
 * in-process sessions of the simulation's own workload are not connections: they are not
 * listed (except a caller listing itself) and CLIENT KILL never reaches them — only
 * networked clients (Sentinels, networked application clients) are disconnected.
 *
 * Modelled, not measured: addresses are `<host>:<port>` with the peer's ephemeral port
 * derived from the connection's id (32768–60999, Linux's default range); fd counts up
 * from 8 in listing order; the buffer and memory fields carry the values of an idle
 * client (qbuf=0 … tot-mem=1024) rather than Redis's allocator's.
 */
import { bulk, err, int, ok, status, type Reply } from './protocol/reply.js';
import { isSubscribed } from './pubsub.js';
import type { ClientSession } from './command-processor.js';
import type { PeerClient } from './replica-client.js';
import type { MasterClientState } from './replica-side.js';
import type { RedisServer } from './server.js';

export type ClientType = 'normal' | 'slave' | 'master' | 'pubsub';

interface ClientEntry {
  id: number;
  type: ClientType;
  addr: string;
  laddr: string;
  name: string;
  ageSec: number;
  idleSec: number;
  flags: string;
  db: number;
  sub: number;
  psub: number;
  multi: number;
  cmd: string;
  /** The networked client behind it, for CLIENT KILL; null for the master link / an in-process caller. */
  peer: PeerClient | null;
  session: ClientSession | null;
}

/** Ids of master links, given the first time one is listed (createClient at the end of a sync). */
const masterLinkIds = new WeakMap<MasterClientState, number>();

/** Linux's default ephemeral range, for the peer's port of a connection. */
function ephemeralPort(connId: number): number {
  return 32768 + ((connId * 7919) % 28232);
}

function peerEntry(s: RedisServer, c: PeerClient, now: number, caller: ClientSession): ClientEntry {
  const conn = c.connection!;
  const session = conn.session;
  const subs = session.subscriptions;
  let type: ClientType = 'normal';
  let flags = '';
  if (c.replica) {
    type = 'slave';
    flags += 'S';
  }
  if (!c.replica && isSubscribed(session)) {
    type = 'pubsub';
    flags += 'P';
  }
  if (session.multi !== null) flags += 'x';
  // A reply still owed means blocked (BLPOP, WAIT, a pause), except for the caller's own command.
  if (session.pending !== null && session !== caller) flags += 'b';
  return {
    id: c.id,
    type,
    addr: `${c.peer}:${ephemeralPort(c.conn.id)}`,
    laddr: `${s.name}:${c.conn.port}`,
    name: session.clientName ?? '',
    ageSec: now - conn.createdAt,
    idleSec: now - c.lastInteraction,
    flags: flags === '' ? 'N' : flags,
    db: session.db,
    sub: subs ? subs.channels.size : 0,
    psub: subs ? subs.patterns.size : 0,
    multi: session.multi ? session.multi.length : -1,
    cmd: c.replica ? 'replconf' : conn.lastCommand,
    peer: c,
    session,
  };
}

/** server.clients: the master link, then the accepted connections, in id order. */
function allClients(s: RedisServer, caller: ClientSession): ClientEntry[] {
  const now = s.unixtime();
  const out: ClientEntry[] = [];
  const r = s.replica;
  if (r.state === 'connected' && r.master && r.conn) {
    let id = masterLinkIds.get(r.master);
    if (id === undefined) {
      id = s.commands.newSession('master').id;
      masterLinkIds.set(r.master, id);
    }
    out.push({
      id, type: 'master', addr: `${r.masterHost}:${r.masterPort}`, laddr: `${s.name}:${ephemeralPort(r.conn.id)}`, name: '',
      ageSec: 0, idleSec: now - r.master.lastInteraction, flags: 'M', db: r.applier.currentDb, sub: 0, psub: 0, multi: -1,
      cmd: 'ping', peer: null, session: null,
    });
  }
  for (const c of s.master.clients) if (c.connection) out.push(peerEntry(s, c, now, caller));
  if (caller.connection === null) {
    // An in-process caller sees itself, as a real connection would.
    out.push({
      id: caller.id, type: isSubscribed(caller) ? 'pubsub' : 'normal', addr: `${caller.name}:0`, laddr: `${s.name}:${s.config.port}`,
      name: caller.clientName ?? '', ageSec: 0, idleSec: 0, flags: caller.multi ? 'x' : 'N', db: caller.db, sub: 0, psub: 0,
      multi: caller.multi ? caller.multi.length : -1, cmd: 'client|list', peer: null, session: caller,
    });
  }
  return out.sort((a, b) => a.id - b.id);
}

function infoLine(e: ClientEntry, fd: number): string {
  return (
    `id=${e.id} addr=${e.addr} laddr=${e.laddr} fd=${fd} name=${e.name} age=${e.ageSec} idle=${e.idleSec} flags=${e.flags} ` +
    `db=${e.db} sub=${e.sub} psub=${e.psub} ssub=0 multi=${e.multi} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 ` +
    `obl=0 oll=0 omem=0 tot-mem=1024 events=r cmd=${e.cmd} user=default redir=-1 resp=2\n`
  );
}

/** getClientTypeByName: normal, slave/replica, pubsub, master. */
function clientTypeByName(name: string): ClientType | null {
  const n = name.toLowerCase();
  if (n === 'normal' || n === 'pubsub' || n === 'master') return n;
  if (n === 'slave' || n === 'replica') return 'slave';
  return null;
}

/** CLIENT LIST [TYPE t | ID id…] and CLIENT INFO. */
export function clientList(s: RedisServer, caller: ClientSession, argv: string[]): Reply {
  const entries = allClients(s, caller);
  const fds = new Map(entries.map((e, i) => [e, 8 + i]));
  const sub = argv[1]!.toLowerCase();
  if (sub === 'info') {
    const me = entries.find((e) => e.session === caller)!;
    return bulk(infoLine({ ...me, cmd: 'client|info' }, fds.get(me)!));
  }
  let chosen = entries;
  if (argv.length === 4 && argv[2]!.toLowerCase() === 'type') {
    const type = clientTypeByName(argv[3]!);
    if (type === null) return err(`ERR Unknown client type '${argv[3]}'`);
    chosen = entries.filter((e) => e.type === type);
  } else if (argv.length > 3 && argv[2]!.toLowerCase() === 'id') {
    const ids: number[] = [];
    for (const a of argv.slice(3)) {
      if (!/^-?\d+$/.test(a)) return err('ERR Invalid client ID');
      ids.push(Number(a));
    }
    chosen = entries.filter((e) => ids.includes(e.id));
  } else if (argv.length !== 2) {
    return err('ERR syntax error');
  }
  return bulk(chosen.map((e) => infoLine(e.session === caller ? { ...e, cmd: 'client|list' } : e, fds.get(e)!)).join(''));
}

/**
 * CLIENT KILL addr (old form: may kill the caller, +OK or -ERR No such client) and
 * CLIENT KILL [ID id] [TYPE t] [ADDR a] [LADDR a] [USER u] [SKIPME yes|no] (new form:
 * the count; SKIPME defaults to yes so the caller survives). Victims are freed at once —
 * their peers see a FIN — and the caller, if it killed itself, is closed after the reply.
 */
export function clientKill(s: RedisServer, caller: ClientSession, argv: string[]): Reply {
  let addr: string | null = null;
  let laddr: string | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2]!;
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i]!.toLowerCase();
      const val = argv[i + 1];
      if (val === undefined) return err('ERR syntax error');
      if (opt === 'id') {
        const n = /^-?\d+$/.test(val) ? Number(val) : NaN;
        if (!Number.isSafeInteger(n) || n < 1) return err('ERR client-id should be greater than 0');
        id = n;
      } else if (opt === 'type') {
        type = clientTypeByName(val);
        if (type === null) return err(`ERR Unknown client type '${val}'`);
      } else if (opt === 'addr') addr = val;
      else if (opt === 'laddr') laddr = val;
      else if (opt === 'user') {
        if (val !== 'default') return err(`ERR No such user '${val}'`);
      } else if (opt === 'skipme') {
        if (val.toLowerCase() === 'yes') skipme = true;
        else if (val.toLowerCase() === 'no') skipme = false;
        else return err('ERR syntax error');
      } else return err('ERR syntax error');
    }
  }
  let killed = 0;
  const victims: ClientEntry[] = [];
  for (const e of allClients(s, caller)) {
    if (addr !== null && e.addr !== addr) continue;
    if (laddr !== null && e.laddr !== laddr) continue;
    if (type !== null && e.type !== type) continue;
    if (id !== 0 && e.id !== id) continue;
    const self = e.session === caller;
    if (self && skipme) continue;
    killed++;
    if (self) {
      if (caller.connection) caller.connection.closeAfterReply = true;
      continue;
    }
    victims.push(e);
  }
  for (const e of victims) {
    if (e.type === 'master') s.replica.killMasterLink();
    else if (e.peer) s.master.freeClient(e.peer, 'killed by CLIENT KILL');
  }
  if (argv.length === 3) return killed === 0 ? err('ERR No such client') : ok();
  return int(killed);
}

/** RESET (clearClientConnectionState): out of MULTI and pub/sub, db 0, no name, default user's auth. */
export function resetCommand(s: RedisServer, session: ClientSession): Reply {
  session.multi = null;
  session.multiError = false;
  s.commands.watches.unwatchAll(session);
  session.db = 0;
  session.clientName = null;
  s.pubsub.dropClient(session);
  session.authenticated = s.config.requirepass === null;
  return status('RESET');
}
