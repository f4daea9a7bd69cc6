/**
 * Linux's retransmission timer for data that a partition keeps from being acknowledged
 * (net/ipv4/tcp_timer.c: tcp_retransmit_timer, tcp_write_timeout, retransmits_timed_out).
 *
 * The first retransmission leaves one RTO after the original segment; every expiry doubles
 * the RTO (icsk_backoff) up to TCP_RTO_MAX. The RTO itself is srtt + rttvar with rttvar
 * never below TCP_RTO_MIN, so on a LAN it is ≈ 200 ms plus one round trip. After a heal
 * nothing goes out until the next expiry: data resumes at the first retransmission at or
 * after the heal, which after a long outage can be up to 120 s later.
 *
 * The connection gives up (ETIMEDOUT, tcp_write_err) at the first expiry at which the oldest
 * unacknowledged byte has waited tcp_retries2's budget, which tcp_model_timeout computes
 * with TCP_RTO_MIN as the base: ((2 << 9) − 1) × 200 ms + (15 − 9) × 120 s = 924.6 s.
 */
import { ms, sec, type Micros } from '../engine/index.js';
import type { LatencyModel } from './latency.js';

/** TCP_RTO_MIN: the floor of rttvar, hence of the RTO. */
export const TCP_RTO_MIN_US: Micros = ms(200);
/** TCP_RTO_MAX: the backoff cap. */
export const TCP_RTO_MAX_US: Micros = sec(120);
/** net.ipv4.tcp_retries2 default. */
export const TCP_RETRIES2 = 15;

/**
 * tcp_model_timeout(sk, tcp_retries2, TCP_RTO_MIN): how long the oldest unacknowledged
 * segment may wait before the connection is dropped (924.6 s with Linux's defaults).
 */
export function retransmitBudgetUs(retries = TCP_RETRIES2): Micros {
  // linear_backoff_thresh = ilog2(TCP_RTO_MAX / rto_base): the doublings before the cap.
  const thresh = Math.floor(Math.log2(TCP_RTO_MAX_US / TCP_RTO_MIN_US));
  if (retries <= thresh) return ((2 << retries) - 1) * TCP_RTO_MIN_US;
  return ((2 << thresh) - 1) * TCP_RTO_MIN_US + (retries - thresh) * TCP_RTO_MAX_US;
}

export const TCP_RETRANSMIT_BUDGET_US: Micros = retransmitBudgetUs();

/** A representative one-way delay of the model, without drawing randomness. */
export function typicalOneWayUs(m: LatencyModel): Micros {
  switch (m.kind) {
    case 'fixed':
      return m.us;
    case 'uniform':
      return Math.round((m.minUs + m.maxUs) / 2);
    case 'normal':
      return Math.max(m.floorUs ?? 0, Math.round(m.meanUs));
    case 'lognormal':
      return Math.max(m.floorUs ?? 0, Math.round(m.medianUs));
  }
}

/** The RTO of a connection on this link before any backoff: srtt (one round trip) + TCP_RTO_MIN. */
export function initialRtoUs(latency: LatencyModel): Micros {
  return TCP_RTO_MIN_US + 2 * typicalOneWayUs(latency);
}

/**
 * The first retransmission at or after `t` of a segment first sent at `sentAt` with an
 * un-backed-off RTO of `rto0`: sentAt + rto0, + 2·rto0, + 4·rto0, … (each interval capped
 * at TCP_RTO_MAX).
 */
export function retransmissionAtOrAfter(sentAt: Micros, rto0: Micros, t: Micros): Micros {
  let at = sentAt;
  let rto = rto0;
  while (at < t) {
    at += rto;
    rto = Math.min(2 * rto, TCP_RTO_MAX_US);
  }
  return at;
}

/** When the connection gives up on a segment first sent at `sentAt`: the first expiry past the budget. */
export function giveUpAt(sentAt: Micros, rto0: Micros): Micros {
  return retransmissionAtOrAfter(sentAt, rto0, sentAt + TCP_RETRANSMIT_BUDGET_US);
}
