/**
 * A client session on one real node, as the simulator's ClientSession is one on a model
 * server: commands keep their order, the session's db is selected when it connects, and a
 * node that is not running answers at once with an error (nothing is queued for later, no
 * reconnect reorders anything). After a crash the next command connects afresh.
 */
import type { Reply } from '../redis/index.js';
import { RespClient } from './resp-client.js';
import { CONNECTION_CLOSED, CONNECTION_REFUSED } from '../redis/index.js';

// The same texts the simulator gives, so a command to a dead node compares equal.
export const NOT_RUNNING = CONNECTION_REFUSED;
export const CONNECTION_LOST = CONNECTION_CLOSED;

export interface SessionTarget {
  readonly name: string;
  readonly port: number;
  readonly running: boolean;
}

export class NodeSession {
  private client: RespClient | null = null;
  private connecting: Promise<RespClient | null> | null = null;

  constructor(
    private readonly node: SessionTarget,
    /** The db selected at connect (a SELECT typed later changes it on this connection only). */
    private readonly db = 0,
    /** AUTH with this at connect: the harness's own reads, as replsim's internal sessions. */
    private readonly password: string | null = null,
  ) {}

  call(argv: readonly string[]): Promise<Reply> {
    if (this.client && !this.client.closed) return settle(this.client.call(argv));
    if (!this.node.running) return Promise.resolve(errorReply(NOT_RUNNING));
    if (!this.connecting) {
      this.connecting = this.open().then(
        (c) => {
          this.client = c;
          this.connecting = null;
          return c;
        },
        () => {
          this.connecting = null;
          return null;
        },
      );
    }
    return this.connecting.then((c) => (c ? settle(c.call(argv)) : errorReply(NOT_RUNNING)));
  }

  /** Sends all commands in one write (a burst); resolves with every reply. */
  pipeline(commands: ReadonlyArray<readonly string[]>): Promise<Reply[]> {
    if (this.client && !this.client.closed) return Promise.all(this.client.pipeline(commands).map(settle));
    return this.call(['PING']).then((r) => {
      if (r.type === 'error' || !this.client) return commands.map(() => r);
      return Promise.all(this.client.pipeline(commands).map(settle));
    });
  }

  private async open(): Promise<RespClient> {
    const c = await RespClient.connect(this.node.port, 2000);
    if (this.password !== null) await c.call(['AUTH', this.password]);
    if (this.db !== 0) await c.call(['SELECT', String(this.db)]);
    return c;
  }

  close(): void {
    this.client?.close();
    this.client = null;
  }
}

function errorReply(text: string): Reply {
  return { type: 'error', text };
}

function settle(p: Promise<Reply>): Promise<Reply> {
  return p.catch(() => errorReply(CONNECTION_LOST));
}
