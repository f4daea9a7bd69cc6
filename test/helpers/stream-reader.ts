/**
 * For differential tests of the data layer against a real redis-server: StreamReader is a
 * fake replica recording what a master propagates; StreamEmulator builds the stream the
 * simulated server would write for the ops executeCommand produced.
 */
import { connect, type Socket } from 'node:net';
import { RespParser } from '../../sim/diff/resp-client.js';

/** A fake replica: the commands a master propagates, as argv lists, in order. */
export class StreamReader {
  readonly commands: string[][] = [];
  private raw = Buffer.alloc(0);
  private synced = false;
  private readonly parser = new RespParser();
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }
  static async attach(port: number): Promise<StreamReader> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const reader = new StreamReader(socket);
    socket.write('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
    while (!reader.synced) await new Promise((r) => setTimeout(r, 5));
    return reader;
  }
  private onData(chunk: Buffer): void {
    if (this.synced) return this.feed(chunk);
    this.raw = Buffer.concat([this.raw, chunk]);
    // +FULLRESYNC <id> <off>\r\n, newline keepalives, $<len>\r\n, then <len> RDB bytes.
    let pos = 0;
    const line = (): string | null => {
      const end = this.raw.indexOf('\r\n', pos);
      if (end < 0) return null;
      const s = this.raw.toString('latin1', pos, end);
      pos = end + 2;
      return s;
    };
    if (line() === null) return;
    while (this.raw[pos] === 0x0a) pos++;
    const bulk = line();
    if (bulk === null || !bulk.startsWith('$')) return;
    const len = Number(bulk.slice(1));
    if (this.raw.length < pos + len) return;
    this.synced = true;
    this.feed(this.raw.subarray(pos + len));
  }
  private feed(chunk: Buffer): void {
    this.parser.feed(chunk);
    for (let r = this.parser.next(); r !== undefined; r = this.parser.next()) {
      if (r.type === 'array' && r.items) this.commands.push(r.items.map((i) => (i.type === 'bulk' ? (i.value ?? '') : '?')));
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

/** The stream the server would write for these ops: MULTI/EXEC around >1 op, SELECT on db change. */
export class StreamEmulator {
  readonly commands: string[][] = [];
  private selected = -1;
  unit(ops: ReadonlyArray<{ db: number; argv: string[] }>): void {
    if (ops.length === 0) return;
    const items = ops.length > 1 ? [{ db: ops[0]!.db, argv: ['MULTI'] }, ...ops, { db: ops[ops.length - 1]!.db, argv: ['EXEC'] }] : ops;
    for (const { db, argv } of items) {
      if (db !== this.selected) {
        this.commands.push(['SELECT', String(db)]);
        this.selected = db;
      }
      this.commands.push(argv);
    }
  }
}
