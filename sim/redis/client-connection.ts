/**
 * A client connected over the simulated network (Redis's `client` with a connection):
 * every accepted connection is one. The replication handshake (AUTH, REPLCONF, SYNC,
 * PSYNC) stays with the master side; every other command goes through
 * CommandProcessor.call with this connection's ClientSession, and its reply goes back on
 * the connection.
 *
 * As in Redis, a client's commands run one at a time in arrival order: while one waits
 * for its reply (BLPOP, WAIT, a pause) the ones behind it stay in the input buffer
 * (processInputBuffer returns while the client is blocked), replication commands included.
 * Pub/sub messages are pushed on the connection as they are published (pubsub.ts).
 */
import type { UnixSeconds } from '../engine/index.js';
import { lookupCommand } from './commands/command-table.js';
import type { ClientSession } from './command-processor.js';
import type { Reply } from './protocol/reply.js';
import type { PeerClient } from './replica-client.js';
import type { WireMessage } from './wire.js';
import { replyBytes } from './protocol/resp.js';
import type { RedisServer } from './server.js';

export class ClientConnection {
  private readonly inbox: string[][] = [];
  /** A command of this client awaits its reply (blocked or postponed). */
  private busy = false;
  private pumping = false;
  /** CLIENT_CLOSE_AFTER_REPLY: QUIT, or CLIENT KILL of the caller itself (SKIPME no). */
  closeAfterReply = false;
  /** unixtime at accept (CLIENT LIST age=). */
  readonly createdAt: UnixSeconds;
  /** c->lastcmd->fullname (CLIENT LIST cmd=), NULL before the first command. */
  lastCommand = 'NULL';

  constructor(
    private readonly server: RedisServer,
    readonly peer: PeerClient,
    readonly session: ClientSession,
  ) {
    this.createdAt = server.unixtime();
    session.push = (r, bytes) => this.send(r, bytes);
    session.connection = this;
    server.memory.ofSession(session); // createClient: counted from the accept
  }

  /** A command arrived on the connection. */
  receive(argv: string[]): void {
    this.server.memory.ofSession(this.session).read(this.server.unixtime());
    this.inbox.push(argv);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return; // a reply that came synchronously: the loop below goes on
    this.pumping = true;
    try {
      while (!this.busy && this.inbox.length > 0 && !this.peer.closed) {
        const argv = this.inbox.shift()!;
        if (this.server.master.processReplicationCommand(this.peer, argv)) continue;
        this.lastCommand = commandFullname(argv);
        this.busy = true;
        this.server.commands.call(this.session, argv, this.onReplyBound);
      }
    } finally {
      this.pumping = false;
    }
  }

  private readonly onReplyBound = (r: Reply): void => {
    this.busy = false;
    if (this.peer.closed) return;
    this.send(r);
    if (this.closeAfterReply) {
      this.server.master.freeClient(this.peer, 'closed after reply');
      return;
    }
    this.pump();
  };

  /** addReply: `r` on the connection; `knownBytes` is replyBytes(r) when the caller measured it already. */
  send(r: Reply, knownBytes?: number): void {
    if (this.peer.closed || this.peer.conn.state !== 'open') return;
    const bytes = knownBytes ?? replyBytes(r);
    this.server.memory.ofSession(this.session).reply(bytes);
    this.peer.conn.send(bytes, { t: 'reply', reply: r } satisfies WireMessage);
  }

  /** freeClient: subscriptions and watches dropped; commands still in the input buffer are never read. */
  onFree(): void {
    this.inbox.length = 0;
    this.server.pubsub.dropClient(this.session);
    this.server.commands.watches.unwatchAll(this.session);
    this.server.memory.releaseSession(this.session);
    this.session.push = null;
  }
}

/** c->cmd->fullname for CLIENT LIST: `get`, `client|list`. */
function commandFullname(argv: readonly string[]): string {
  const name = (argv[0] ?? '').toLowerCase();
  const spec = lookupCommand(name);
  if (!spec) return name;
  const sub = spec.subcommands && argv.length > 1 ? spec.subcommands.get(argv[1]!.toLowerCase()) : undefined;
  return sub ? sub.fullname : spec.fullname;
}
