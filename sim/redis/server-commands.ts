/**
 * Commands the server runs itself rather than the keyspace: replication control (REPLICAOF,
 * ROLE, WAIT), introspection (INFO, CONFIG GET), configuration (CONFIG SET), process control
 * (DEBUG SLEEP, SHUTDOWN, BGSAVE) and CLIENT KILL of replication links.
 */
import { BUSY_EVAL, BUSY_FUNCTION } from './scripting/script-kill.js';
import type { CommandSpec } from './commands/command-table.js';
import { ConfigError, formatConfigValue, KNOWN_REDIS_OPTIONS, parseRedisConfigOption } from './config-parse.js';
import { array, bulk, err, ERR_NOT_INTEGER, ERR_SYNTAX, int, nil, ok, status, type Reply } from './protocol/reply.js';
import type { PauseType } from './client-pause.js';
import { authenticate } from './auth.js';
import { infoText } from './info.js';
import { roleReply } from './role.js';
import { CONNECTION_CLOSED } from './protocol/client-errors.js';
import { writeDumpFile, type RdbImage } from './data/rdb.js';
import type { ClientSession, ReplyFn } from './command-processor.js';
import { clientKill, clientList, resetCommand } from './client-list.js';
import { configRewrite } from './config-rewrite.js';
import type { RedisServer } from './server.js';

const MIN_BACKLOG_BYTES = 16 * 1024; // CONFIG_REPL_BACKLOG_MIN_SIZE

export class ServerCommands {
  /** server.in_exec: a BGSAVE queued in MULTI is scheduled rather than started. */
  private inExec = false;

  constructor(private readonly server: RedisServer) {}

  onProcessExit(): void {}

  handlesDebug(argv: readonly string[]): boolean {
    const sub = (argv[1] ?? '').toLowerCase();
    return sub === 'sleep' || sub === 'set-active-expire';
  }

  /** Inside EXEC: the non-blocking server commands only. */
  runInMulti(session: ClientSession, spec: CommandSpec, argv: string[]): Reply {
    let out: Reply = err('ERR command not allowed inside MULTI in replsim');
    if (spec.name === 'wait') return int(this.server.master.waits.countAcked(session.woff));
    this.inExec = true;
    this.run(session, spec, argv, (r) => (out = r));
    this.inExec = false;
    return out;
  }

  /** bgsaveCommand: [SCHEDULE] waits for another child (an AOF rewrite) instead of failing. */
  private bgsave(argv: string[]): Reply {
    const children = this.server.master.children;
    if (argv.length > 2 || (argv.length === 2 && argv[1]!.toLowerCase() !== 'schedule')) return ERR_SYNTAX;
    if (children.bgsaveInProgress) return err('ERR Background save already in progress');
    if (children.hasActiveChild || this.inExec) {
      if (argv.length === 1 && !this.inExec) {
        return err('ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.');
      }
      children.rdbBgsaveScheduled = true;
      return status('Background saving scheduled');
    }
    children.bgsaveForUser();
    return status('Background saving started');
  }

  /**
   * saveCommand: rdbSave in the server's own process. It fails on a full disk (fail-bgsave
   * faults only forked saves); success clears a BGSAVE error (rdbSave sets
   * lastbgsave_status to ok), which lifts MISCONF.
   */
  private save(): Reply {
    const s = this.server;
    if (s.master.children.bgsaveInProgress) return err('ERR Background save already in progress');
    s.stats.rdbSaves++;
    if (s.diskFaults.full) return err('ERR');
    writeDumpFile(s, this.saveImage());
    s.lastSaveUs = s.sim.now;
    s.lastSave = s.unixtime();
    s.dirty = 0;
    s.lastBgsaveOk = true;
    return ok();
  }

  run(session: ClientSession, spec: CommandSpec, argv: string[], done: ReplyFn): void {
    const s = this.server;
    switch (spec.name) {
      case 'info':
        return done(bulk(infoText(s, argv[1])));
      case 'role':
        return done(roleReply(s));
      case 'replicaof':
      case 'slaveof':
        return done(this.replicaof(argv));
      case 'wait':
        return this.wait(session, argv, done);
      case 'config':
        return done(this.config(argv));
      case 'client':
        return done(this.client(session, argv));
      case 'debug':
        return this.debug(argv, done);
      case 'bgsave':
        return done(this.bgsave(argv));
      case 'save':
        return done(this.save());
      case 'lastsave':
        return done(int(s.lastSave));
      case 'time': {
        // timeCommand reads gettimeofday: this node's wall clock (skew and drift included),
        // to the µs within the millisecond mstime() reports.
        const us = s.nowMs() * 1000 + (s.sim.now % 1000);
        return done(array([bulk(String(Math.floor(us / 1e6))), bulk(String(us % 1e6))]));
      }
      case 'bgrewriteaof':
        if (!s.config.appendonly) return done(err('ERR Background append only file rewriting is not enabled')); // replsim: AOF only with appendonly yes
        switch (s.aof.bgrewriteaof()) {
          case 'started':
            return done(status('Background append only file rewriting started'));
          case 'scheduled':
            return done(status('Background append only file rewriting scheduled'));
          case 'in-progress':
            return done(err('ERR Background append only file rewriting already in progress'));
        }
        return;
      case 'shutdown':
        return this.shutdown(argv, done);
      case 'select':
        return done(err('ERR SELECT is handled by the keyspace'));
      case 'sync':
      case 'psync':
      case 'replconf':
        return done(err('ERR replication commands are only accepted from replicas over the network'));
      case 'failover':
        return done(s.failover.command(argv));
      case 'auth': {
        const r = authenticate(argv, s.config.requirepass);
        if (r.ok) session.authenticated = true;
        return done(r.reply);
      }
      case 'subscribe':
      case 'unsubscribe':
      case 'psubscribe':
      case 'punsubscribe':
        return s.pubsub.command(session, spec.name, argv, done);
      case 'quit':
        // +OK, then the connection closes (CLIENT_CLOSE_AFTER_REPLY).
        if (session.connection) session.connection.closeAfterReply = true;
        return done(ok());
      case 'reset':
        return done(resetCommand(s, session));
      case 'hello':
      case 'unwatch': // queued inside MULTI; EXEC has forgotten the watches already (watch.ts)
        return done(ok());
      default:
        return done(err(`ERR '${spec.fullname}' is not supported by replsim`));
    }
  }

  /** replicaofCommand: refused during a FAILOVER; NO ONE, or a host and a valid port. */
  private replicaof(argv: string[]): Reply {
    const s = this.server;
    const host = argv[1]!;
    const port = argv[2]!;
    if (s.failover.state !== 'no-failover') return err('ERR REPLICAOF not allowed while failing over.');
    if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') return s.replica.unsetMaster();
    const p = Number(port);
    if (!Number.isInteger(p) || p < 0 || p > 65535) return err('ERR Invalid master port');
    return s.replica.replicaof(host, p);
  }

  /** waitCommand: refused on a replica; the arguments checked, then WaitQueue.block. */
  private wait(session: ClientSession, argv: string[], done: ReplyFn): void {
    const s = this.server;
    if (!s.isMaster) return done(err('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.'));
    const n = Number(argv[1]);
    const timeoutMs = Number(argv[2]);
    if (!Number.isInteger(n)) return done(ERR_NOT_INTEGER);
    if (!Number.isInteger(timeoutMs)) return done(err('ERR timeout is not an integer or out of range'));
    if (timeoutMs < 0) return done(err('ERR timeout is negative'));
    s.master.waits.block(session.woff, n, timeoutMs, done);
  }

  /** configGetCommand / configSetCommand / CONFIG REWRITE / CONFIG RESETSTAT (config.c). */
  private config(argv: string[]): Reply {
    const s = this.server;
    const sub = (argv[1] ?? '').toLowerCase();
    if (sub === 'get') {
      const out: Reply[] = [];
      for (const pattern of argv.slice(2)) {
        const re = globToRegExp(pattern);
        for (const name of KNOWN_REDIS_OPTIONS) {
          if (!re.test(name)) continue;
          const v = formatConfigValue(name, s.config);
          if (v !== undefined) out.push(bulk(name), bulk(v));
        }
      }
      return array(out);
    }
    if (sub === 'set') {
      if (argv.length < 4 || argv.length % 2 !== 0) return err("ERR wrong number of arguments for 'config|set' command");
      for (let i = 2; i < argv.length; i += 2) {
        const name = argv[i]!.toLowerCase();
        let patch;
        try {
          patch = parseRedisConfigOption(name, argv[i + 1]!);
        } catch (e) {
          if (e instanceof ConfigError) return err(`ERR CONFIG SET failed (possibly related to argument '${argv[i]}') - ${e.message}`);
          throw e;
        }
        if (patch.replBacklogSizeBytes !== undefined) {
          patch.replBacklogSizeBytes = Math.max(MIN_BACKLOG_BYTES, patch.replBacklogSizeBytes);
          s.backlog?.setBacklogSize(patch.replBacklogSizeBytes);
        }
        const aofWas = s.config.appendonly;
        Object.assign(s.config, patch);
        // CONFIG SET appendonly yes starts the AOF with a rewrite of the whole dataset.
        if (!aofWas && s.config.appendonly) s.aof.startAppendOnly();
        if (aofWas && !s.config.appendonly) s.aof.stopAppendOnly();
        s.trace('config.set', { option: name, value: argv[i + 1]! });
      }
      s.master.refreshGoodSlavesCount();
      return ok();
    }
    if (sub === 'rewrite') return configRewrite(s);
    if (sub === 'resetstat') {
      s.stats.syncFull = s.stats.syncPartialOk = s.stats.syncPartialErr = 0;
      return ok();
    }
    return err(`ERR unknown subcommand '${argv[1] ?? ''}'. Try CONFIG HELP.`);
  }

  /** clientCommand (networking.c): the subcommands replsim models. */
  private client(session: ClientSession, argv: string[]): Reply {
    const s = this.server;
    const sub = (argv[1] ?? '').toLowerCase();
    switch (sub) {
      case 'pause':
        return clientPause(s, argv);
      case 'unpause':
        s.pause.unpause('client-command');
        return ok();
      case 'id':
        return int(session.id);
      case 'getname':
        return session.clientName === null ? nil() : bulk(session.clientName);
      case 'setname': {
        const name = argv[2]!;
        // validateClientName: printable ASCII without spaces; an empty name clears it.
        if (!/^[\x21-\x7e]*$/.test(name)) return err('ERR Client names cannot contain spaces, newlines or special characters.');
        session.clientName = name === '' ? null : name;
        return ok();
      }
      case 'list':
      case 'info':
        return clientList(s, session, argv);
      case 'kill':
        return clientKill(s, session, argv);
    }
    return err(`ERR CLIENT ${argv[1] ?? ''} is not supported by replsim`);
  }

  /** debugCommand (debug.c): DEBUG SLEEP and DEBUG SET-ACTIVE-EXPIRE. */
  private debug(argv: string[], done: ReplyFn): void {
    const s = this.server;
    const sub = (argv[1] ?? '').toLowerCase();
    if (sub === 'sleep') {
      const secs = Number(argv[2] ?? '0');
      if (!Number.isFinite(secs) || secs < 0) return done(err('ERR value is not a valid float'));
      // The whole process blocks: no replies, no cron, nothing read.
      s.trace('server.debug-sleep', { seconds: secs });
      s.freeze('sleep');
      const incarnation = s.incarnation;
      s.sim.after(Math.round(secs * 1e6), () => {
        if (incarnation !== s.incarnation) return;
        done(ok());
        s.thaw('sleep');
      });
      return;
    }
    if (sub === 'set-active-expire') {
      s.config.activeExpireEnabled = argv[2] !== '0';
      return done(ok());
    }
    done(err(`ERR DEBUG ${argv[1] ?? ''} is not supported by replsim`));
  }

  /**
   * shutdownCommand: SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]: a master with replicas first waits (writes paused)
   * until they have ACKed everything or shutdown-timeout passes, unless NOW; then it saves
   * if asked or if save points exist, and exits.
   */
  private shutdown(argv: string[], done: ReplyFn): void {
    const s = this.server;
    const flags = argv.slice(1).map((a) => a.toLowerCase());
    // A busy script: only SHUTDOWN NOSAVE may end the process (shutdownCommand).
    const busy = s.commands.busy?.execution;
    if (busy?.timedOut === true && !flags.includes('nosave')) return done(err(busy.evalMode ? BUSY_EVAL : BUSY_FUNCTION));
    const save = flags.includes('save') || (!flags.includes('nosave') && s.config.save.length > 0);
    if (!flags.includes('now') && s.failover.startShutdownWait(save, done)) return;
    this.finishShutdown(save, done);
  }

  /** finishShutdown (server.c): save if asked, then exit without a reply. */
  finishShutdown(save: boolean, done: ReplyFn): void {
    const s = this.server;
    if (save) {
      s.stats.rdbSaves++;
      writeDumpFile(s, this.saveImage());
    }
    s.trace('server.shutdown', { save });
    // A successful SHUTDOWN never replies: the client sees the connection close.
    done(err(CONNECTION_CLOSED));
    s.crash();
  }

  /** rdbSave's image (rdb.c) for SAVE and SHUTDOWN: the RDB with the replication info rdbPopulateSaveInfo gives. */
  saveImage(): RdbImage {
    const s = this.server;
    const info = s.replica.saveInfo();
    return {
      snapshot: s.keyspace.snapshot(s.config.rdbcompression),
      keys: s.keyspace.totalKeys(),
      bytes: s.keyspace.rdbSizeBytes(s.config.rdbcompression),
      replid: info ? info.replid : null,
      offset: info ? info.offset : s.masterReplOffset,
      streamDb: info ? info.streamDb : 0,
      createdAtUs: s.sim.now,
    };
  }

}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i');
}

/** CLIENT PAUSE <timeout> [WRITE|ALL] (getTimeoutFromObjectOrReply in ms, then pauseClients). */
function clientPause(s: RedisServer, argv: string[]): Reply {
  let type: PauseType = 'all';
  if (argv.length === 4) {
    const mode = argv[3]!.toLowerCase();
    if (mode === 'write') type = 'write';
    else if (mode !== 'all') return err('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  const text = argv[2]!;
  const ms = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(ms)) return err('ERR timeout is not an integer or out of range');
  if (ms < 0) return err('ERR timeout is negative');
  // A 0 timeout is an end time of 0: already over.
  s.trace('client.pause', { type, timeout_ms: ms });
  s.pause.pause('client-command', ms > 0 ? s.nowMs() + ms : 0, type);
  return ok();
}
