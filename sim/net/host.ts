/**
 * A machine with one process on it. The process can crash (everything it had open is reset,
 * peers learn after a latency), restart (a fresh process on the same address, with nothing
 * open) and be paused like SIGSTOP: it reads nothing, so data and close notifications
 * arriving for it are held, as in a kernel buffer, and handed over in arrival order on
 * resume. The application layer defers its own timers while paused; the host only holds
 * what the network delivers.
 */
import { simAssert } from '../engine/index.js';
import type { Handler } from '../engine/index.js';
import type { ConnectHandlers, Endpoint } from './connection.js';
import { startConnect } from './handshake.js';
import type { Network } from './network.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

function drainHeld(host: Host): void {
  host._drainHeld();
}

export class Host {
  readonly name: string;
  private readonly net: Network;
  private _up = true;
  private _paused = false;
  private readonly listeners = new Map<number, (conn: Endpoint) => void>();
  /** Endpoints owned by the current process that are not closed, in creation order. */
  readonly _endpoints = new Set<Endpoint>();
  // Notifications held while paused, as parallel arrays (fn, arg) from heldHead on.
  private heldFns: Handler[] = [];
  private heldArgs: unknown[] = [];
  private heldHead = 0;

  constructor(net: Network, name: string) {
    this.net = net;
    this.name = name;
  }

  get up(): boolean {
    return this._up;
  }

  get paused(): boolean {
    return this._paused;
  }

  listen(port: number, onAccept: (conn: Endpoint) => void): void {
    const sim = this.net.sim;
    simAssert(this._up, sim, () => `listen(${port}) on ${this.name}, which is down`);
    simAssert(Number.isInteger(port) && port > 0 && port < 65536, sim, () => `listen: bad port ${port}`);
    simAssert(!this.listeners.has(port), sim, () => `listen(${port}) on ${this.name}: address already in use`);
    this.listeners.set(port, onAccept);
  }

  /** Stops accepting; connections already accepted are unaffected. */
  unlisten(port: number): void {
    this.listeners.delete(port);
  }

  /** Returns the client end in state 'connecting'; close() it to abort the attempt. */
  connect(toHost: string, port: number, handlers: ConnectHandlers): Endpoint {
    const sim = this.net.sim;
    simAssert(this._up, sim, () => `connect from ${this.name}, which is down`);
    simAssert(Number.isInteger(port) && port > 0 && port < 65536, sim, () => `connect: bad port ${port}`);
    return startConnect(this.net, this, toHost, port, handlers);
  }

  /**
   * The process dies: every connection is reset (peers see the RST after a latency, or after
   * a heal), listeners vanish, pending connects and held notifications are dropped silently.
   */
  crash(): void {
    simAssert(this._up, this.net.sim, () => `crash of ${this.name}, which is already down`);
    this.net.sim.record('net.crash', this.name);
    this.teardown();
    this._up = false;
  }

  /**
   * The machine loses power: the process dies, but nothing goes out — no RST, no FIN. Peers
   * keep their connections until their own timeouts notice, or until they send something
   * after the host is back and its new stack answers with an RST (connection.ts _vanish).
   */
  powerOff(): void {
    simAssert(this._up, this.net.sim, () => `power-off of ${this.name}, which is already down`);
    this.net.sim.record('net.power-off', this.name);
    this.teardown(true);
    this._up = false;
  }

  /**
   * A fresh process on the same address: up, not paused, nothing listening or open. A running
   * process is replaced (its connections reset as in a crash); booting a host that was never
   * used is therefore just restart().
   */
  restart(): void {
    if (this._up) this.teardown();
    this._up = true;
    this.net.sim.record('net.restart', this.name);
  }

  private teardown(silently = false): void {
    this._paused = false;
    this.listeners.clear();
    this.heldFns = [];
    this.heldArgs = [];
    this.heldHead = 0;
    for (const ep of [...this._endpoints]) {
      if (ep._state === 'connecting') ep._conn.abort();
      else if (ep._state === 'open') {
        if (silently) ep._vanish();
        else ep._resetBy('crash');
      }
    }
    this._endpoints.clear();
  }

  /** SIGSTOP. Idempotent. */
  pause(): void {
    simAssert(this._up, this.net.sim, () => `pause of ${this.name}, which is down`);
    if (this._paused) return;
    this._paused = true;
    this.net.sim.record('net.pause', this.name);
  }

  /** SIGCONT: held notifications are handed over in order, starting in the next event. Idempotent. */
  resume(): void {
    if (!this._paused) return;
    this._paused = false;
    this.net.sim.record('net.resume', this.name);
    if (this.heldHead < this.heldFns.length) this.net.sim.after(0, drainHeld, this);
  }

  /**
   * A paused process that still polls its sockets now and then (Redis's
   * processEventsWhileBlocked during a blocking load): what is held so far is handed over
   * now, in order, except what `keep` says stays in the kernel (a socket whose read handler
   * is removed), and the host stays paused for what arrives later. Nothing is recorded: the
   * process never stopped being paused as far as its peers can tell.
   */
  pollWhilePaused(keep: ((fn: Handler, arg: unknown) => boolean) | null): void {
    if (!this._up || !this._paused) return;
    if (keep !== null) {
      // Set aside what stays held, hand over the rest, then put it back in front (its order kept).
      const keptFns: Handler[] = [];
      const keptArgs: unknown[] = [];
      const fns: Handler[] = [];
      const args: unknown[] = [];
      for (let i = this.heldHead; i < this.heldFns.length; i++) {
        const fn = this.heldFns[i]!;
        const arg = this.heldArgs[i];
        if (keep(fn, arg)) {
          keptFns.push(fn);
          keptArgs.push(arg);
        } else {
          fns.push(fn);
          args.push(arg);
        }
      }
      this.heldFns = fns;
      this.heldArgs = args;
      this.heldHead = 0;
      this._paused = false;
      this._drainHeld();
      this._paused = true;
      // Anything queued during the hand-over (nothing arrives synchronously today) goes behind.
      this.heldFns = keptFns.concat(this.heldFns.slice(this.heldHead));
      this.heldArgs = keptArgs.concat(this.heldArgs.slice(this.heldHead));
      this.heldHead = 0;
      return;
    }
    this._paused = false;
    this._drainHeld();
    this._paused = true;
  }

  /** The listener for `port`, if any. */
  _listener(port: number): ((conn: Endpoint) => void) | undefined {
    return this.listeners.get(port);
  }

  /**
   * Runs fn(arg) for this host's process now, or holds it while paused. While held
   * notifications remain, later ones queue behind them so arrival order is kept. True when
   * fn(arg) ran now (false: held, or the host is down and it is dropped).
   */
  _notify(fn: Handler, arg: unknown): boolean {
    if (!this._up) return false;
    if (this._paused || this.heldHead < this.heldFns.length) {
      this.heldFns.push(fn);
      this.heldArgs.push(arg);
      return false;
    }
    fn(arg);
    return true;
  }

  _drainHeld(): void {
    while (this._up && !this._paused && this.heldHead < this.heldFns.length) {
      const i = this.heldHead++;
      const fn = this.heldFns[i]!;
      const arg = this.heldArgs[i];
      this.heldArgs[i] = undefined;
      fn(arg);
    }
    if (this.heldHead === this.heldFns.length) {
      this.heldFns = [];
      this.heldArgs = [];
      this.heldHead = 0;
    }
  }
}
