/**
 * A minimal RESP2 client over node:net, for the differential harness only.
 *
 * Why not ioredis: the harness must control every connection exactly. A command sent to a
 * SIGSTOPped server has to wait (not time out and retry), a command to a crashed server has
 * to fail at once (no offline queue, no automatic reconnect that would reorder a workload),
 * and a pipelined burst has to leave in one write so the server runs it in one event-loop
 * iteration (the collection of INFO + DIGEST is then one atomic snapshot). That is ~150
 * lines of protocol, and it keeps replsim free of runtime dependencies for this feature.
 *
 * Replies are decoded into the simulator's own Reply type, so `formatReply` renders a real
 * reply exactly as it renders a simulated one (redis-cli's TTY form).
 */
import { connect, type Socket } from 'node:net';
import type { Reply } from '../redis/index.js';

export class RespConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespConnectionError';
  }
}

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

/** Incremental RESP2 parser: feed bytes, take complete replies. */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** The next complete reply, or undefined when more bytes are needed. */
  next(): Reply | undefined {
    const start = this.pos;
    const r = this.parse();
    if (r === undefined) this.pos = start;
    return r;
  }

  private line(): string | undefined {
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end < 0) return undefined;
    const text = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 2;
    return text;
  }

  private parse(): Reply | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const type = String.fromCharCode(this.buf[this.pos]!);
    this.pos++;
    const text = this.line();
    if (text === undefined) return undefined;
    switch (type) {
      case '+':
        return { type: 'status', text };
      case '-':
        return { type: 'error', text };
      case ':':
        return { type: 'int', value: Number(text) };
      case '$': {
        const len = Number(text);
        if (len < 0) return { type: 'bulk', value: null };
        if (this.pos + len + 2 > this.buf.length) return undefined;
        const value = this.buf.toString('utf8', this.pos, this.pos + len);
        this.pos += len + 2;
        return { type: 'bulk', value };
      }
      case '*': {
        const n = Number(text);
        if (n < 0) return { type: 'array', items: null };
        const items: Reply[] = [];
        for (let i = 0; i < n; i++) {
          const item = this.parse();
          if (item === undefined) return undefined;
          items.push(item);
        }
        return { type: 'array', items };
      }
      default:
        throw new RespConnectionError(`protocol error: unexpected reply type byte ${JSON.stringify(type)}`);
    }
  }
}

export function encodeArgv(argv: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  private readonly pending: Pending[] = [];
  private readonly parser = new RespParser();
  private closedError: Error | null = null;
  /** Replies nobody asked for: the messages of a (P)SUBSCRIBEd connection. */
  onPush: ((r: Reply) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new RespConnectionError(`connection error: ${e.message}`)));
    socket.on('close', () => this.fail(new RespConnectionError('connection closed')));
  }

  /** Connects to 127.0.0.1:port; rejects after timeoutMs or on refusal. */
  static connect(port: number, timeoutMs = 2000, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RespConnectionError(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RespClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new RespConnectionError(`connect to ${host}:${port}: ${e.message}`));
      });
    });
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Sends one command; the promise settles with its reply (errors are replies, not rejections). */
  call(argv: readonly string[]): Promise<Reply> {
    return this.pipeline([argv])[0]!;
  }

  /** Sends every command in one write, so the server reads them in one go. */
  pipeline(commands: ReadonlyArray<readonly string[]>): Array<Promise<Reply>> {
    const promises = commands.map(
      () => new Promise<Reply>((resolve, reject) => {
        if (this.closedError) reject(this.closedError);
        else this.pending.push({ resolve, reject });
      }),
    );
    if (!this.closedError) this.socket.write(Buffer.concat(commands.map(encodeArgv)));
    return promises;
  }

  /** call() that rejects after timeoutMs (the connection is then closed: its reply order is lost). */
  async callWithTimeout(argv: readonly string[], timeoutMs: number): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.close();
        reject(new RespConnectionError(`${argv[0] ?? ''} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.call(argv), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.socket.destroy();
    this.fail(new RespConnectionError('connection closed by the client'));
  }

  private onData(chunk: Buffer): void {
    this.parser.feed(chunk);
    for (;;) {
      let r: Reply | undefined;
      try {
        r = this.parser.next();
      } catch (e) {
        this.socket.destroy();
        this.fail(e as Error);
        return;
      }
      if (r === undefined) return;
      const p = this.pending.shift();
      if (p) p.resolve(r);
      else this.onPush?.(r);
    }
  }

  private fail(e: Error): void {
    if (this.closedError) return;
    this.closedError = e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}
