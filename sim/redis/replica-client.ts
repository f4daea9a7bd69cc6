/**
 * A connection accepted by a server, as the master side sees it: an ordinary client that
 * becomes a replica client once SYNC/PSYNC succeeds (Redis's `client` with CLIENT_SLAVE).
 */
import type { Micros, UnixSeconds } from '../engine/index.js';
import type { Endpoint } from '../net/index.js';
import type { ClientConnection } from './client-connection.js';

/** Redis's replstate of a replica client (INFO shows wait_bgsave / send_bulk / online). */
export type ReplicaState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

export class PeerClient {
  readonly id: number;
  readonly conn: Endpoint;
  /** The peer's host name (its node name). */
  readonly peer: string;
  listeningPort = 0;
  announcedIp: string | null = null;
  /** The client side of the connection: its session, input queue and replies (client-connection.ts). */
  connection: ClientConnection | null = null;
  private authenticatedWithoutSession = true;
  capaEof = false;
  capaPsync2 = false;
  /** unixtime of the last bytes read from this client (lastinteraction). */
  lastInteraction: UnixSeconds = 0;
  /** Set once SYNC/PSYNC made this client a replica. */
  replica: ReplicaClient | null = null;
  closed = false;

  constructor(id: number, conn: Endpoint, peer: string) {
    this.id = id;
    this.conn = conn;
    this.peer = peer;
  }

  /** c->authenticated (requirepass unset at accept, or a good AUTH): the session's flag. */
  get authenticated(): boolean {
    return this.connection ? this.connection.session.authenticated : this.authenticatedWithoutSession;
  }
  set authenticated(v: boolean) {
    if (this.connection) this.connection.session.authenticated = v;
    else this.authenticatedWithoutSession = v;
  }
}

export class ReplicaClient {
  readonly client: PeerClient;
  state: ReplicaState = 'wait_bgsave_start';
  /** Offset the RDB it waits for / received corresponds to (psync_initial_offset). */
  psyncInitialOffset = -1;
  /** Next stream byte to write to its socket. */
  nextByte = 0;
  /**
   * True while stream bytes must stay in the master's buffer: during the RDB (they follow
   * it) and, after a diskless transfer, until the first REPLCONF ACK
   * (repl_start_cmd_stream_on_ack).
   */
  holdStream = true;
  waitingFirstAck = false;
  /** repl_ack_off / repl_ack_time (unixtime). */
  ackOffset = 0;
  ackTime: UnixSeconds = 0;
  /** Diskless: unixtime of the last write the socket accepted (repl_last_partial_write). */
  lastPartialWrite: UnixSeconds = 0;
  /** unixtime when the soft output-buffer limit was first seen exceeded, or -1. */
  softLimitSince: UnixSeconds | -1 = -1;
  /** Bytes of the RDB payload written so far (disk target). */
  rdbSentBytes = 0;
  /** Sequence number of the fork this replica is bound to. */
  forkId = -1;
  /** Virtual time (not the node's clock) when it went online; -1 before. */
  onlineAtUs: Micros = -1;

  constructor(client: PeerClient) {
    this.client = client;
  }

  /** replicationGetSlaveName: how logs and traces name the replica (here its host's name). */
  get name(): string {
    return this.client.peer;
  }
}
