/**
 * One real `redis-server` process that the differential harness started: its own temp
 * directory and log file, a port chosen by the harness, `--daemonize no` so it is our child
 * and we know its pid. Signals go to that pid only: the harness never touches a Redis it
 * did not start. Every live child is also SIGKILLed when this Node process exits, however
 * it exits (Ctrl-C included), so a failed run leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RespClient } from './resp-client.js';

const LIVE = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of LIVE) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1 (listen on port 0, then close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class RedisStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisStartError';
  }
}

/** Real runs tried on fresh ports before a port collision is reported. */
export const PORT_ATTEMPTS = 3;

/**
 * A redis-server that could not bind the free port it was given: another process took it
 * between the harness's pick and the bind (a shared machine: a diff campaign stopped at case
 * 63, and the fidelity suite failed a scenario, on "bind: Address already in use"). Not the
 * binary's fault, so the run starts again on new ports; a binary that does not start at all
 * is still an error.
 */
export function portTaken(e: unknown): boolean {
  return e instanceof Error && e.name === 'RedisStartError' && /Address already in use|served by another process/.test(e.message);
}

export class RedisProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';
  /** SIGSTOPped by us and not yet continued. */
  stopped = false;
  /** How many times it was started (restarts included). */
  starts = 0;
  /** Called when a started process exits other than through kill() (SHUTDOWN, a crash of its own). */
  onUnexpectedExit: ((why: string) => void) | null = null;
  private killing = false;

  constructor(
    readonly name: string,
    readonly binary: string,
    readonly dir: string,
    readonly port: number,
    /** Everything after the binary, except --port/--dir/--logfile, which are added here. */
    readonly args: readonly string[],
    /** Before everything else: redis-sentinel takes its config file as the first argument. */
    readonly leadingArgs: readonly string[] = [],
  ) {}

  get logFile(): string {
    return join(this.dir, 'redis.log');
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  fullArgs(): string[] {
    return [...this.leadingArgs, '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--logfile', this.logFile, '--daemonize', 'no', ...this.args];
  }

  /** Spawns the server and resolves once it answers on its port (any reply, -LOADING too). */
  async start(timeoutMs = 10_000): Promise<void> {
    if (this.child) throw new RedisStartError(`${this.name}: already running`);
    installExitHook();
    this.stderr = '';
    this.stopped = false;
    this.starts++;
    const child = spawn(this.binary, this.fullArgs(), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    LIVE.add(child);
    child.stderr?.on('data', (d: Buffer) => {
      if (this.stderr.length < 10_000) this.stderr += d.toString();
    });
    let exitedEarly: string | null = null;
    let ready = false;
    this.exited = new Promise<void>((resolve) => {
      const done = (why: string): void => {
        LIVE.delete(child);
        if (this.child === child) this.child = null;
        exitedEarly = why;
        if (!this.killing && ready) this.onUnexpectedExit?.(why);
        this.killing = false;
        resolve();
      };
      child.once('exit', (code, signal) => done(signal ? `killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (e) => done(e.message));
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exitedEarly !== null) throw new RedisStartError(`${this.name}: redis-server ${exitedEarly} at start${this.startProblem()}`);
      let foreign: number | null = null;
      try {
        const c = await RespClient.connect(this.port, 500);
        try {
          await c.callWithTimeout(['PING'], 2000);
          // freePort's port may be taken by another process before ours binds it: the server
          // answering must be the one we spawned, never someone else's Redis.
          const info = await c.callWithTimeout(['INFO', 'server'], 2000);
          // (A server with requirepass answers -NOAUTH: then the PING's answer is all we get.)
          const pid = info.type === 'bulk' && typeof info.value === 'string' ? /process_id:(\d+)/.exec(info.value)?.[1] : undefined;
          if (pid !== undefined && Number(pid) !== child.pid) foreign = Number(pid);
        } finally {
          c.close();
        }
        if (foreign === null) {
          ready = true;
          return;
        }
      } catch {
        foreign = null;
      }
      if (foreign !== null) {
        await this.kill();
        throw new RedisStartError(`${this.name}: port ${this.port} is served by another process (pid ${foreign}), not the redis-server we started; pick another port`);
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new RedisStartError(`${this.name}: redis-server did not answer on port ${this.port} within ${timeoutMs} ms${this.startProblem()}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** What the server said about failing to start: stderr, else the log's last lines. */
  private startProblem(): string {
    let text = this.stderr.trim();
    if (text === '' && existsSync(this.logFile)) text = readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
    return text === '' ? '' : `:\n${text}`;
  }

  signal(sig: 'SIGSTOP' | 'SIGCONT' | 'SIGKILL'): void {
    if (!this.child) return;
    this.child.kill(sig);
    if (sig === 'SIGSTOP') this.stopped = true;
    if (sig === 'SIGCONT') this.stopped = false;
  }

  /** SIGKILL and wait for the exit (works on a SIGSTOPped process too). */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.killing = true;
    this.child.kill('SIGKILL');
    this.stopped = false;
    await this.exited;
  }

  /** Resolves when the current incarnation exits (at once if not running). */
  whenExited(): Promise<void> {
    return this.exited;
  }
}
