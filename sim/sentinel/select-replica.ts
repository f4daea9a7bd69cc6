/**
 * sentinelSelectSlave and compareSlavesForPromotion: which replica a failover promotes.
 * Exclusions: SDOWN/ODOWN, disconnected, no valid PING reply in 5 × ping-period, priority 0,
 * INFO older than 5 × ping-period (master SDOWN) or 3 × info-period, and a replication link
 * down for longer than the master's SDOWN time plus 10 × down-after. Order: lower priority,
 * then larger offset, then smaller runid (case-insensitive; unknown last).
 */
import { SRI_O_DOWN, SRI_S_DOWN, type SentinelRedisInstance } from './instance.js';
import type { SentinelProcess } from './sentinel.js';

export function compareSlavesForPromotion(a: SentinelRedisInstance, b: SentinelRedisInstance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset > b.slaveReplOffset) return -1;
  if (a.slaveReplOffset < b.slaveReplOffset) return 1;
  if (a.runid === null && b.runid === null) return 0;
  if (a.runid === null) return 1;
  if (b.runid === null) return -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The replicas that pass every exclusion rule, in dict order. */
export function promotionCandidates(s: SentinelProcess, m: SentinelRedisInstance, now: number): SentinelRedisInstance[] {
  const t = s.timings;
  const masterSdown = (m.flags & SRI_S_DOWN) !== 0;
  const maxMasterDownTime = (masterSdown ? now - m.sDownSinceTime : 0) + m.downAfterPeriod * 10;
  const infoValidityTime = masterSdown ? t.pingPeriodMs * 5 : t.infoPeriodMs * 3;
  const out: SentinelRedisInstance[] = [];
  for (const r of m.slaves.values()) {
    if (r.flags & (SRI_S_DOWN | SRI_O_DOWN)) continue;
    if (r.link.disconnected) continue;
    if (now - r.link.lastAvailTime > t.pingPeriodMs * 5) continue;
    // Planted bug sentinel-promotes-priority-zero: the "never promote" setting ignored.
    if (r.slavePriority === 0 && !s.bug('sentinel-promotes-priority-zero')) continue;
    if (now - r.infoRefresh > infoValidityTime) continue;
    if (r.masterLinkDownTime > maxMasterDownTime) continue;
    out.push(r);
  }
  return out;
}

export function sentinelSelectSlave(s: SentinelProcess, m: SentinelRedisInstance, now: number): SentinelRedisInstance | null {
  const c = promotionCandidates(s, m, now);
  if (c.length === 0) return null;
  c.sort(compareSlavesForPromotion);
  return c[0]!;
}
