/**
 * processEventsWhileBlocked during a blocking RDB load (rdbLoadProgressCallback): each time
 * the bytes read cross a multiple of loading-process-events-interval-bytes (a hidden config
 * of 7.0.15, 2 MB), the loading process accepts connections, reads what its clients sent and
 * answers — `-LOADING` to commands without CMD_LOADING (PING, PSYNC, GET …), a real reply to
 * INFO, ROLE, PUBLISH, SUBSCRIBE, REPLCONF — but runs no timer. A replica loading a full
 * sync leaves its master link unread (readSyncBulkPayload removes its read handler first), so
 * the master's stream stays in the kernel.
 *
 * The load is priced linearly in its bytes, so the k-th poll comes at k × interval / bytes of
 * the load time after the load began; a file under 2 MB is never polled, as in Redis. (An AOF
 * tail is polled every 1024 commands by loadSingleAppendOnlyFile, from its first: replsim
 * polls it by bytes, plus once where the tail begins — pollNow.)
 *
 * Each poll ends with whileBlockedCron, which keeps cronloops counting from the load's start
 * (blockingOperationStarts: blocked_last_cron), so serverCron's run_with_period phases after
 * the load are Redis's.
 */
import type { Endpoint } from '../net/index.js';
import { heldForEndpoint } from '../net/index.js';
import type { RedisServer } from './server.js';

const LOADING_PROCESS_EVENTS_INTERVAL_BYTES = 2 * 1024 * 1024;

export class LoadingPolls {
  /** processEventsWhileBlocked calls made so far. */
  private polls = 0;
  private active = true;
  private readonly incarnation: number;

  /**
   * From now until stop(): polls of a load of `bytes` that began at `startUs` and takes
   * `loadUs` (a load partly done already — parsed while downloading — polls only its rest).
   */
  constructor(
    private readonly server: RedisServer,
    private readonly startUs: number,
    private readonly loadUs: number,
    private readonly bytes: number,
    private readonly unread: Endpoint | null,
  ) {
    this.incarnation = server.incarnation;
    const now = server.sim.now;
    // blockingOperationStarts (startLoading): the node's clock when the load begins.
    server.blockedLastCronMs = Math.floor(server.nowMs() + (startUs - now) / 1000);
    while (this.active && this.pollAt(this.polls + 1) < now) this.polls++;
    this.scheduleNext();
  }

  /** The load ended (done or aborted): no more polls. */
  stop(): void {
    this.active = false;
  }

  private pollAt(k: number): number {
    if (k * LOADING_PROCESS_EVENTS_INTERVAL_BYTES > this.bytes) return Infinity;
    const at = this.startUs + Math.floor((this.loadUs * k * LOADING_PROCESS_EVENTS_INTERVAL_BYTES) / this.bytes);
    // The poll at (or after) the end of the load is the load's end itself: nothing to poll.
    return at >= this.startUs + this.loadUs ? Infinity : at;
  }

  private scheduleNext(): void {
    const at = this.pollAt(this.polls + 1);
    if (this.active && at !== Infinity) this.server.sim.at(at, runLoadingPoll, this);
  }

  /** @internal the k-th poll is due. */
  _poll(): void {
    if (!this.active || this.incarnation !== this.server.incarnation) return;
    this.polls++;
    this.processEventsWhileBlocked();
    this.scheduleNext();
  }

  /** A poll now, outside the 2 MB schedule: where an AOF's incremental part begins. */
  pollNow(): void {
    if (this.active && this.incarnation === this.server.incarnation) this.processEventsWhileBlocked();
  }

  private processEventsWhileBlocked(): void {
    const s = this.server;
    // Only a process stopped by its load alone polls (SIGSTOP or DEBUG SLEEP stop it whole).
    if (!s.isOnlyFrozenBy('loading')) return;
    const unread = this.unread;
    s.host.pollWhilePaused(unread === null ? null : (fn, arg) => heldForEndpoint(fn, arg, unread));
    s.whileBlockedCron();
  }
}

function runLoadingPoll(arg: unknown): void {
  (arg as LoadingPolls)._poll();
}
