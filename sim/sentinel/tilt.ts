/**
 * TILT mode (sentinelCheckTiltCondition, and the exit at the top of the acting half of
 * sentinelHandleRedisInstance): a tick that finds the wall clock moved backwards or more than
 * tilt-trigger (2 s) forward since the previous one — a stall or a clock step — stops all
 * acting for tilt-period (30 s); each new trigger restarts the period.
 */
import { sentinelEvent } from './events.js';
import type { SentinelProcess } from './sentinel.js';

export function sentinelCheckTiltCondition(s: SentinelProcess, now: number): void {
  const delta = now - s.previousTime;
  if (delta < 0 || delta > s.timings.tiltTriggerMs) {
    s.tilt = true;
    s.tiltStartTime = now;
    sentinelEvent(s, 'warning', '+tilt', null, '#tilt mode entered');
  }
  s.previousTime = now;
}

/** In TILT: true (and `-tilt`) once tilt-period has passed, so the caller may act again. */
export function sentinelHandleTilt(s: SentinelProcess, now: number): boolean {
  if (now - s.tiltStartTime < s.timings.tiltPeriodMs) return false;
  s.tilt = false;
  sentinelEvent(s, 'warning', '-tilt', null, '#tilt mode exited');
  return true;
}
