/**
 * Client commands on one server: processCommand's gates in Redis 7.0's order (unknown
 * command, arity, OOM, NOREPLICAS, READONLY, MASTERDOWN, LOADING), MULTI/EXEC, the
 * propagation of what ran (wrapped in MULTI/EXEC when a unit has more than one op), and
 * the server-level commands (INFO, ROLE, REPLICAOF, WAIT, CONFIG, CLIENT KILL, DEBUG,
 * BGSAVE, SHUTDOWN). Clients of the simulation talk to the process directly, not through
 * the simulated network: as in the differential harness, they are never partitioned.
 */
import { lookupCommand, checkArity, unknownCommandError, type CommandFlags, type CommandSpec } from './commands/command-table.js';
import { executeCommand, executeLookedUp } from './commands/commands.js';
import { BlockedClients } from './blocking.js';
import { createExecContext, type BlockRequest, type ExecContext, type PropagatedOp } from './commands/exec-context.js';
import { array, bulk, err, nilArray, ok, status, type Reply, ERR_LOADING, ERR_NOAUTH } from './protocol/reply.js';
import { replyBytes } from './protocol/resp.js';
import { ServerCommands } from './server-commands.js';
import { performEvictions } from './eviction.js';
import { CONNECTION_CLOSED, CONNECTION_REFUSED } from './protocol/client-errors.js';
import type { RedisServer } from './server.js';
import { WatchedKeys, type WatchedKey, type WatchingClient } from './watch.js';
import type { Subscriptions } from './pubsub.js';
import type { ClientConnection } from './client-connection.js';
import { ServerScriptingHost } from './scripting-host.js';
import { gateSpecOfScriptCommand } from './scripting/script-command-flags.js';
import { BUSY_EVAL, BUSY_FUNCTION } from './scripting/script-kill.js';
import { BusyScript } from './busy-script.js';
import type { ClientMemory } from './client-memory.js';

export class ClientSession implements WatchingClient {
  db = 0;
  multi: string[][] | null = null;
  multiError = false;
  /** master_repl_offset right after this client's previous command (WAIT's target). */
  woff = 0;
  /** CLIENT SETNAME. */
  clientName: string | null = null;
  /**
   * c->authenticated: true when the client connected while the default user had no
   * password (no requirepass), or after a good AUTH.
   */
  authenticated = true;
  /** The reply of the command being processed, while it has none yet (blocked, postponed). */
  pending: ReplyFn | null = null;
  /** Commands sent behind it: Redis reads a client's next command only after the reply. */
  readonly queued: Array<{ argv: string[]; done: ReplyFn }> = [];
  /** drainQueued is running for this session (see there). */
  draining = false;
  /** c->watched_keys and CLIENT_DIRTY_CAS (watch.ts). */
  watched: WatchedKey[] = [];
  dirtyCas = false;
  /** Channels and patterns it subscribed to (pubsub.ts); null before the first SUBSCRIBE. */
  subscriptions: Subscriptions | null = null;
  /**
   * Where pub/sub messages go: the connection of a networked client, or a test's callback.
   * `bytes`, when given, is replyBytes(reply): a PUBLISH measures its message once for all subscribers.
   */
  push: ((reply: Reply, bytes?: number) => void) | null = null;
  /** The network connection of a networked client (client-connection.ts); null in-process. */
  connection: ClientConnection | null = null;
  /** replsim's own reads and the Lua client: no connection of the harness stands behind it (used-memory.ts). */
  internal = false;
  constructor(readonly id: number, readonly name: string) {}
}

export type ReplyFn = (reply: Reply) => void;

/**
 * call()'s side of one command: where its reply goes, and the client state to update when it
 * does (the reply's bytes, the busy-session bookkeeping, the commands queued behind it). An
 * object per command, not a closure: a closure and its context cost twice the bytes, on every write.
 */
class PendingReply {
  /** Added to busySessions: the command did not answer at once. */
  tracked = false;
  constructor(
    private readonly processor: CommandProcessor,
    readonly session: ClientSession,
    readonly done: ReplyFn,
    readonly memory: ClientMemory | null,
  ) {}

  send(r: Reply): void {
    this.processor._replied(this, r);
  }
}


export class CommandProcessor {
  private nextSessionId = 1;
  private ctx: ExecContext | null = null;
  private readonly scratchOps: PropagatedOp[] = [];
  private ctxInMulti = false;
  /** Sessions with a command awaiting its reply (closed with an error if the process dies). */
  private readonly busySessions = new Set<ClientSession>();
  /** Clients in BLPOP & co. */
  readonly blocked: BlockedClients;
  private scratchOpsBusy = false;
  readonly serverCommands: ServerCommands;
  /** WATCH's db->watched_keys. */
  readonly watches: WatchedKeys;
  /** EVAL / SCRIPT / FUNCTION state and gates (sim/redis/scripting/). */
  readonly scripting: ServerScriptingHost;
  /** The script running past busy-reply-threshold (busy-script.ts), if any. */
  busy: BusyScript | null = null;

  constructor(private readonly server: RedisServer) {
    this.watches = new WatchedKeys(() => server.keyspace);
    this.serverCommands = new ServerCommands(server);
    this.blocked = new BlockedClients(server);
    this.scripting = new ServerScriptingHost(server, this.serverCommands, () => this.newSession('lua', true));
  }

  reset(): void {
    this.ctx = null;
    this.busy = null;
    this.blocked.reset();
    this.watches.reset();
    this.scripting.reset();
  }

  onProcessExit(): void {
    // A busy script dies with the process; commands held for its next poll were never read.
    const held = this.busy?.abandon() ?? [];
    this.busy = null;
    for (const h of held) h.closed();
    this.watches.reset();
    this.serverCommands.onProcessExit();
    this.closeClientConnections();
  }

  /** A new client connection; `internal` ones (replsim's own INFO reads) need no AUTH. */
  newSession(name = 'client', internal = false): ClientSession {
    const session = new ClientSession(this.nextSessionId++, name);
    session.authenticated = internal || this.server.config.requirepass === null;
    session.internal = internal;
    return session;
  }

  /** Sends blocked clients -UNBLOCKED (REPLICAOF turning a master into a replica). */
  disconnectBlockedClients(): void {
    this.server.master.waits.unblockAll();
    this.blocked.unblockAll();
  }

  /**
   * A client sends argv. The reply arrives through `done`, now or later (WAIT, DEBUG SLEEP,
   * or a stopped process that reads the command only when it resumes).
   */
  call(session: ClientSession, argv: string[], done: ReplyFn): void {
    const s = this.server;
    if (!s.alive) return done(err(CONNECTION_REFUSED));
    if (session.pending !== null) {
      // The previous command blocked (WAIT, BLPOP, a pause): this one waits behind it.
      session.queued.push({ argv, done });
      return;
    }
    if (s.isFrozen() && !s.isFrozen('loading') && !this.busy?.polling) return this.callWhenRunning(session, argv, done);
    session.pending = done;
    // An in-process session stands for the harness's connection: the read grows its querybuf.
    const memory = session.internal || session.connection !== null ? null : s.memory.ofSession(session);
    memory?.read(s.unixtime());
    const replyTo = new PendingReply(this, session, done, memory);
    this.processCommand(session, argv, replyTo);
    // No reply yet (blocked or postponed): remember the session, in case the process dies.
    if (session.pending === done) {
      replyTo.tracked = true;
      this.busySessions.add(session);
    }
  }

  /** The process is stopped (a separate method: call() itself creates no closure, see processCommand). */
  private callWhenRunning(session: ClientSession, argv: string[], done: ReplyFn): void {
    const s = this.server;
    if (this.busy !== null && s.isOnlyFrozenBy('script')) {
      // A busy script: the command is read at its next processEventsWhileBlocked.
      this.busy.hold({ run: () => this.call(session, argv, done), closed: () => done(err(CONNECTION_CLOSED)) });
      return;
    }
    // The process is stopped: the command waits in the socket until it runs again.
    s.schedule(0, () => this.call(session, argv, done));
  }

  /** @internal PendingReply.send: the reply of the command call() ran reaches its client. */
  _replied(replyTo: PendingReply, r: Reply): void {
    const session = replyTo.session;
    const done = replyTo.done;
    if (session.pending !== done) return; // answered already (the connection closed)
    session.pending = null;
    replyTo.memory?.reply(replyBytes(r));
    if (replyTo.tracked) this.busySessions.delete(session);
    if (r.type === 'error') this.server.stats.totalErrorReplies++;
    done(r);
    if (session.queued.length > 0) this.drainQueued(session);
  }

  /**
   * Runs the commands queued behind a reply, in order, until one blocks again. A loop, not
   * recursion: after a long pause thousands may be waiting (each reply would otherwise call
   * the next one from inside its own callback).
   */
  private drainQueued(session: ClientSession): void {
    if (session.draining) return; // an outer drainQueued is looping over this queue already
    session.draining = true;
    try {
      while (session.pending === null && session.queued.length > 0) {
        const next = session.queued.shift()!;
        this.call(session, next.argv, next.done);
      }
    } finally {
      session.draining = false;
    }
  }

  /**
   * The process died: every connection closed, so the clients' blocked commands and the
   * ones queued behind them end with the error a client sees (the harness's, too).
   */
  private closeClientConnections(): void {
    const sessions = [...this.busySessions];
    this.busySessions.clear();
    for (const session of sessions) {
      const pending = session.pending;
      session.pending = null;
      const queued = session.queued.splice(0);
      pending?.(err(CONNECTION_CLOSED));
      for (const q of queued) q.done(err(CONNECTION_CLOSED));
    }
  }

  /**
   * processCommand: the gates, then MULTI queueing or execution. It creates no closure itself
   * (a function that does allocates its context on every call): the rare paths that answer
   * later (a pause, a server command, a blocked command, a script) have methods of their own.
   */
  private processCommand(session: ClientSession, argv: string[], replyTo: PendingReply): void {
    const s = this.server;
    s.stats.totalCommandsProcessed++;
    const spec = lookupCommand(argv[0] ?? '');
    if (!spec) return this.rejectCommand(session, undefined, unknownCommandError(argv), replyTo);
    // Container commands (CONFIG, CLIENT, …): the subcommand's arity and flags decide.
    const sub = spec.subcommands && argv.length > 1 ? spec.subcommands.get(argv[1]!.toLowerCase()) : undefined;
    const arity = checkArity(sub ?? spec, argv.length);
    if (arity) return this.rejectCommand(session, spec, arity, replyTo);
    // authRequired: the default user has a password and this client has not AUTHed.
    if (!session.authenticated && s.config.requirepass !== null && !spec.flags.noAuth) return this.rejectCommand(session, spec, ERR_NOAUTH, replyTo);
    const inMulti = session.multi !== null && !['exec', 'discard', 'multi', 'watch', 'quit', 'reset'].includes(spec.name);
    // getCommandFlags: a script with a shebang is gated by the flags it declares.
    const gated = gateSpecOfScriptCommand(this.scripting.engine, sub ?? spec, argv, s.keyspace.functions);
    const flags = spec.name === 'exec' ? execFlags(spec.flags, session) : gated.flags;
    const gate = this.gate(gated, flags, inMulti, session);
    if (gate) return this.rejectCommand(session, spec, gate, replyTo);
    // A pause (CLIENT PAUSE, FAILOVER, SHUTDOWN's wait) postpones the command — before MULTI
    // queueing, as 7.0 does — and it is processed again when the pause ends.
    if (s.pause.check() && s.pause.blocks(mayReplicate(gated === (sub ?? spec) ? spec : gated, session))) {
      s.stats.totalCommandsProcessed--; // counted when it really runs
      return this.postponeCommand(session, argv, replyTo);
    }
    if (inMulti) {
      // queueMultiCommand: an already aborted transaction keeps nothing (nor its flags).
      if (!session.multiError && !session.dirtyCas) session.multi!.push(argv);
      return replyTo.send(status('QUEUED'));
    }
    // call() from here on: the command's latency histogram exists once it ran (used-memory.ts);
    // a server command (INFO) reports used_memory before its own is allocated.
    const serverCommand = spec.executor === 'server' || (spec.name === 'debug' && this.serverCommands.handlesDebug(argv));
    if (!serverCommand) s.memory.recordCall(argv, spec);
    switch (spec.name) {
      case 'multi':
        if (session.multi) return replyTo.send(err('ERR MULTI calls can not be nested'));
        session.multi = [];
        session.multiError = false;
        return replyTo.send(ok());
      case 'discard':
        if (!session.multi) return replyTo.send(err('ERR DISCARD without MULTI'));
        session.multi = null;
        this.watches.unwatchAll(session);
        return replyTo.send(ok());
      case 'watch':
        if (session.multi) return replyTo.send(err('ERR WATCH inside MULTI is not allowed'));
        for (let i = 1; i < argv.length; i++) this.watches.watch(session, session.db, argv[i]!, s.nowMs());
        return replyTo.send(ok());
      case 'unwatch':
        this.watches.unwatchAll(session);
        return replyTo.send(ok());
      case 'exec':
        return this.exec(session, replyTo);
    }
    if (serverCommand) return this.runServerCommand(session, spec, argv, replyTo);
    if (session.subscriptions !== null && spec.name === 'ping') {
      const pong = s.pubsub.pingReply(session, argv);
      if (pong) return replyTo.send(pong);
    }
    // One ops array reused command after command (propagate does not keep it); emptied with
    // pop(), as `length = 0` would free its backing store and the next push reallocate it.
    const reuse = !this.scratchOpsBusy;
    const ops = reuse ? this.scratchOps : [];
    this.scratchOpsBusy = true;
    const reply = this.execute(session, argv, ops, spec);
    const ctx = this.ctx!;
    if (ctx.suspendedScript) return this.suspendScript(session, ctx, ops, reuse, spec, replyTo);
    const blockOn = ctx.blockOn;
    const scriptCpuUs = ctx.scriptCpuUs ?? 0;
    this.propagate(ops, spec);
    if (reuse) {
      while (ops.length > 0) ops.pop();
      this.scratchOpsBusy = false;
    }
    if (blockOn) {
      this.ctx!.blockOn = null;
      this.blockClient(session, argv, spec, blockOn, replyTo);
      return;
    }
    session.woff = s.masterReplOffset;
    if (scriptCpuUs > 0) return this.replyAfterScript(scriptCpuUs, reply, replyTo);
    replyTo.send(reply);
    this.blocked.serveReady();
  }

  /**
   * A pause (CLIENT PAUSE, FAILOVER, SHUTDOWN's wait) postpones the command: processCommand
   * runs it again when the pause ends — unless the client was freed meanwhile (CLIENT KILL,
   * QUIT): freeClient drops it.
   */
  private postponeCommand(session: ClientSession, argv: string[], replyTo: PendingReply): void {
    this.server.pause.postpone(() => {
      if (!sessionGone(session)) this.processCommand(session, argv, replyTo);
    });
  }

  /** A server command (INFO, CONFIG, WAIT, DEBUG …), answered now or later (WAIT, DEBUG SLEEP). */
  private runServerCommand(session: ClientSession, spec: CommandSpec, argv: string[], replyTo: PendingReply): void {
    const s = this.server;
    this.serverCommands.run(session, spec, argv, (r) => {
      s.memory.recordCall(argv, spec);
      session.woff = s.masterReplOffset;
      replyTo.send(r);
    });
  }

  /**
   * A script that ended before busy-reply-threshold still took its time: the process did
   * nothing else meanwhile, and the reply leaves at its end.
   */
  private replyAfterScript(cpuUs: number, reply: Reply, replyTo: PendingReply): void {
    const s = this.server;
    s.freeze('script');
    const incarnation = s.incarnation;
    s.sim.after(cpuUs, () => {
      if (incarnation !== s.incarnation) return;
      s.thaw('script');
      replyTo.send(reply);
      this.blocked.serveReady();
    });
  }

  /**
   * The script ran past busy-reply-threshold (scriptInterrupt): it keeps this ExecContext
   * (its frozen time, its db, its ops) and is resumed from busy-script.ts; what it wrote is
   * propagated, and the reply sent, when it ends.
   */
  private suspendScript(session: ClientSession, ctx: ExecContext, ops: PropagatedOp[], reuse: boolean, spec: CommandSpec, replyTo: PendingReply): void {
    const s = this.server;
    const execution = ctx.suspendedScript!;
    ctx.suspendedScript = null;
    this.ctx = null;
    const own = ops.slice();
    ctx.ops = own;
    if (reuse) {
      while (ops.length > 0) ops.pop();
      this.scratchOpsBusy = false;
    }
    this.busy = new BusyScript(s, execution, (reply) => {
      this.busy = null;
      this.propagate(own, spec);
      session.woff = s.masterReplOffset;
      replyTo.send(reply);
      this.blocked.serveReady();
    });
  }

  /** blockForKeys: the command runs again when a key it waits on gets elements. */
  private blockClient(session: ClientSession, argv: string[], spec: CommandSpec, request: BlockRequest, replyTo: PendingReply): void {
    const s = this.server;
    const db = session.db;
    const retry = (): Reply | null => {
      // A freed client is no longer blocked on anything: it must not pop for nobody.
      if (sessionGone(session)) return null;
      const ops: PropagatedOp[] = [];
      const ctx = this.context(db, ops);
      ctx.servingBlocked = true;
      const reply = executeLookedUp(ctx, spec, request.retryArgv?.() ?? argv);
      ctx.servingBlocked = false;
      if (ctx.blockOn) {
        ctx.blockOn = null;
        return null;
      }
      // Served: its pop is a propagation unit of its own, after the command that readied the key.
      this.propagate(ops, spec);
      session.woff = s.masterReplOffset;
      return reply;
    };
    this.blocked.block(db, request, retry, (r) => replyTo.send(r));
  }

  /**
   * rejectCommand: every refusal of processCommand goes through here. flagTransaction makes
   * a later EXEC fail; EXEC itself is answered by execCommandAbort, which discards the
   * transaction and wraps the refusal in -EXECABORT. The refusals that carry their own code
   * are shared objects (-READONLY, -OOM, -NOAUTH …); the others are rejectCommandFormat's
   * bare texts, which only the ordinary error reply prefixes with ERR.
   */
  private rejectCommand(session: ClientSession, spec: CommandSpec | undefined, reply: Reply, replyTo: PendingReply): void {
    this.server.stats.rejectedCalls++;
    if (session.multi) session.multiError = true;
    if (spec?.name !== 'exec' || reply.type !== 'error') return replyTo.send(reply);
    session.multi = null;
    session.multiError = false;
    const text = reply.text.startsWith('ERR ') ? reply.text.slice(4) : reply.text;
    replyTo.send(err(`EXECABORT Transaction discarded because of: ${text}`));
  }

  /**
   * The refusals of processCommand that depend on the server's state, in Redis's order.
   * `flags` are the command's own, or for EXEC those accumulated over its queue (execFlags).
   */
  private gate(spec: CommandSpec, flags: CommandFlags, inMulti: boolean, session: ClientSession): Reply | null {
    const s = this.server;
    const cfg = s.config;
    const isWrite = flags.write;
    // performEvictions runs before every command. Out of memory, a command that may grow it
    // is refused — and so is anything queued in MULTI, as queueing itself takes memory.
    // Not while a script is busy (server.maxmemory && !isInsideYieldingLongCommand()).
    const oom = cfg.maxmemoryBytes > 0 && this.busy === null && !performEvictions(s);
    this.scripting.preCommandOom = oom;
    if (oom && (flags.denyOom || inMulti)) return err("OOM command not allowed when used memory > 'maxmemory'.");
    // writeCommandsDeniedByDiskError: a server whose last BGSAVE failed, with save points and
    // stop-writes-on-bgsave-error, refuses writes — and PING — with -MISCONF.
    if (!s.lastBgsaveOk && cfg.stopWritesOnBgsaveError && cfg.save.length > 0 && (isWrite || spec.name === 'ping')) {
      return err(MISCONF);
    }
    if (isWrite && !s.master.enoughGoodReplicas()) return err('NOREPLICAS Not enough good replicas to write.');
    if (isWrite && !s.isMaster && cfg.replicaReadOnly) return err("READONLY You can't write against a read only replica.");
    if (session.subscriptions !== null) {
      const refused = s.pubsub.contextRefusal(session, spec);
      if (refused) return refused;
    }
    if (!s.isMaster && s.replica.state !== 'connected' && !cfg.replicaServeStaleData && !flags.stale) {
      return err("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    }
    if (s.loading && !s.asyncLoading && !flags.loading) return ERR_LOADING;
    if (s.asyncLoading && flags.noAsyncLoading) return ERR_LOADING;
    // isInsideYieldingLongCommand: a script past busy-reply-threshold.
    const busy = this.busy?.execution;
    if (busy !== undefined && busy.timedOut && !flags.allowBusy) return err(busy.evalMode ? BUSY_EVAL : BUSY_FUNCTION);
    return null;
  }

  private exec(session: ClientSession, replyTo: PendingReply): void {
    const s = this.server;
    const queued = session.multi;
    if (!queued) return replyTo.send(err('ERR EXEC without MULTI'));
    session.multi = null;
    // execCommand: a watched key touched or expired since WATCH (CLIENT_DIRTY_CAS) fails the
    // transaction with a null array, after the EXECABORT check; both forget the watches.
    const dirtyCas = session.dirtyCas || (session.watched.length > 0 && this.watches.anyExpiredSinceWatch(session, s.nowMs()));
    this.watches.unwatchAll(session);
    if (session.multiError) {
      session.multiError = false;
      return replyTo.send(err('EXECABORT Transaction discarded because of previous errors.'));
    }
    if (dirtyCas) return replyTo.send(nilArray());
    const ops: PropagatedOp[] = [];
    const replies: Reply[] = [];
    let scriptCpuUs = 0;
    for (const argv of queued) {
      const spec = lookupCommand(argv[0]!)!;
      s.memory.recordCall(argv, spec);
      if (spec.executor === 'server') {
        replies.push(this.serverCommands.runInMulti(session, spec, argv));
        continue;
      }
      this.ctxInMulti = true;
      replies.push(this.execute(session, argv, ops, spec));
      this.ctxInMulti = false;
      scriptCpuUs += this.ctx!.scriptCpuUs ?? 0;
    }
    this.propagate(ops, null);
    session.woff = s.masterReplOffset;
    if (scriptCpuUs > 0) return this.replyAfterScript(scriptCpuUs, array(replies), replyTo);
    replyTo.send(array(replies));
    this.blocked.serveReady();
  }

  /** Runs a keyspace command against this server's data. */
  execute(session: ClientSession, argv: string[], ops: PropagatedOp[], spec?: CommandSpec): Reply {
    const ctx = this.context(session.db, ops);
    const reply = spec === undefined ? executeCommand(ctx, argv) : executeLookedUp(ctx, spec, argv);
    // A suspended script's context holds the script's own SELECT, not the caller's.
    if (!ctx.suspendedScript) session.db = ctx.db;
    if (reply.type !== 'error' && argv[0]!.length === 8 && argv[0]!.toLowerCase() === 'flushall') this.server.master.children.kill('FLUSHALL');
    return reply;
  }

  private context(db: number, ops: PropagatedOp[]): ExecContext {
    const s = this.server;
    let c = this.ctx;
    if (c === null || c.keyspace !== s.keyspace) {
      // The per-command fields are set below, on a new context as on a reused one.
      c = createExecContext(s.keyspace, { stats: s.stats, publish: s.pubsub.publishHook, scripting: this.scripting });
      this.ctx = c;
    }
    c.db = db;
    c.ops = ops;
    c.nowMs = s.nowMs();
    c.isMaster = s.isMaster;
    c.lazyfreeLazyExpire = s.config.lazyfreeLazyExpire;
    c.lazyfreeLazyUserDel = s.config.lazyfreeLazyUserDel;
    c.clientsPaused = s.pause.check();
    c.inMulti = this.ctxInMulti;
    c.blockOn = null;
    c.scriptCpuUs = 0;
    c.suspendedScript = null;
    return c;
  }

  /** propagatePendingCommands: one unit per top-level execution, to the stream on a master. */
  propagate(ops: PropagatedOp[], _spec: CommandSpec | null): void {
    if (ops.length === 0) return;
    for (let i = 0; i < ops.length; i++) if (ops[i]!.target !== undefined) return this.propagateTargeted(ops);
    // PUBLISH is forced to the replicas only (forceCommandPropagation(c, PROPAGATE_REPL)):
    // it is neither written to the AOF nor a change (server.dirty).
    const stored = hasReplOnly(ops) ? ops.filter((op) => op.replOnly !== true) : ops;
    this.server.aof.appendOps(stored);
    this.server.dirty += stored.length;
    this.server.feedCommands(ops);
  }

  /**
   * A unit where redis.set_repl sent some ops to the AOF only or the replicas only: each
   * goes where it was asked; MULTI/EXEC still wraps a unit of more than one op.
   */
  private propagateTargeted(ops: PropagatedOp[]): void {
    // A PUBLISH inside the script (replOnly) is forced to the replicas whatever set_repl says.
    const aof = ops.filter((op) => op.replOnly !== true && (op.target === undefined || (op.target & 1) !== 0));
    const repl = ops.filter((op) => op.replOnly === true || op.target === undefined || (op.target & 2) !== 0);
    if (aof.length > 0) this.server.aof.appendOps(aof);
    this.server.dirty += ops.filter((op) => op.replOnly !== true).length;
    if (repl.length > 0) this.server.feedCommands(repl, ops.length > 1);
  }

  /** serverCron's part: databasesCron / activeExpireCycle at hz, on masters only; save points. */
  serverCronTick(): void {
    const s = this.server;
    // activeExpireCycle returns at once while clients are paused.
    if ((s.isMaster || s.bug('replica-expires-keys')) && s.config.activeExpireEnabled && !s.loading && !s.pause.check()) {
      const expired = s.keyspace.activeExpireCycle(s.nowMs(), 200);
      for (const k of expired) {
        s.stats.expiredKeys++;
        // Active expiry propagates bare DEL/UNLINK, one unit per key (propagate_no_multi).
        this.propagate([{ db: k.db, argv: [s.config.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', k.key] }], null);
      }
    }
    // A writable replica expires the keys it set a TTL on itself (expireSlaveKeys); they count.
    if (!s.isMaster && !s.config.replicaReadOnly) s.stats.expiredKeys += s.keyspace.expireSlaveKeys(s.nowMs()).length;
    this.checkSavePoints();
  }

  private checkSavePoints(): void {
    const s = this.server;
    if (s.master.children.hasActiveChild || s.loading) return;
    const elapsedSec = (s.sim.now - s.lastSaveUs) / 1e6;
    for (const p of s.config.save) {
      if (s.dirty >= p.changes && elapsedSec > p.seconds && s.master.children.bgsaveRetryAllowed()) {
        s.trace('rdb.save-point', { seconds: p.seconds, changes: p.changes });
        s.master.children.bgsaveForUser();
        return;
      }
    }
  }

  /** For expectations and reports: a GET-like read by a normal client. */
  quickReply(argv: string[]): Reply {
    let out: Reply = bulk('');
    this.call(this.newSession('inspector', true), argv, (r) => (out = r));
    return out;
  }
}


const MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** The networked client behind the session was freed (its commands are never run). */
function sessionGone(session: ClientSession): boolean {
  return session.connection !== null && session.connection.peer.closed;
}

function hasReplOnly(ops: readonly PropagatedOp[]): boolean {
  for (let i = 0; i < ops.length; i++) if (ops[i]!.replOnly === true) return true;
  return false;
}

/**
 * EXEC's flags for processCommand's gates: queueMultiCommand accumulates the queued commands'
 * flags (mstate.cmd_flags) and their complement (cmd_inv_flags), so EXEC counts as a write if
 * any queued command writes, and as denied when stale or loading if any queued one is.
 */
function execFlags(own: CommandFlags, session: ClientSession): CommandFlags {
  let write = own.write, denyOom = own.denyOom, stale = own.stale, loading = own.loading, noAsyncLoading = own.noAsyncLoading === true;
  for (const argv of session.multi ?? []) {
    const q = lookupCommand(argv[0] ?? '');
    if (q === undefined) continue;
    const f = (q.subcommands && argv.length > 1 ? q.subcommands.get(argv[1]!.toLowerCase()) : undefined)?.flags ?? q.flags;
    write ||= f.write;
    denyOom ||= f.denyOom;
    stale &&= f.stale;
    loading &&= f.loading;
    noAsyncLoading ||= f.noAsyncLoading === true;
  }
  return { ...own, write, denyOom, stale, loading, noAsyncLoading };
}

/** is_may_replicate_command: write or may-replicate, or an EXEC whose queue holds one. */
function mayReplicate(spec: CommandSpec, session: ClientSession): boolean {
  if (spec.flags.write || spec.flags.mayReplicate) return true;
  if (spec.name !== 'exec' || session.multi === null) return false;
  return session.multi.some((argv) => {
    const q = lookupCommand(argv[0] ?? '');
    return q !== undefined && (q.flags.write || q.flags.mayReplicate);
  });
}
