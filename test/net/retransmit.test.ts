import { describe, expect, it } from 'vitest';
import { ms, sec } from '../../sim/engine/time.js';
import {
  TCP_RETRANSMIT_BUDGET_US,
  giveUpAt,
  initialRtoUs,
  retransmissionAtOrAfter,
  retransmitBudgetUs,
} from '../../sim/net/retransmit.js';

describe('Linux retransmission timer (tcp_timer.c)', () => {
  it("tcp_retries2 = 15 gives up after 924.6 s (tcp_model_timeout with TCP_RTO_MIN as base)", () => {
    // 200 ms doubling 9 times stays under TCP_RTO_MAX (102.4 s); the 6 retries beyond run at 120 s.
    expect(TCP_RETRANSMIT_BUDGET_US).toBe(ms(924_600));
    // Below the cap the budget is 200 ms × (2^(n+1) − 1): tcp_retries1 = 3 ⇒ 3 s.
    expect(retransmitBudgetUs(3)).toBe(sec(3));
  });

  it('the RTO is TCP_RTO_MIN plus a round trip', () => {
    expect(initialRtoUs({ kind: 'fixed', us: 100 })).toBe(ms(200) + 200);
    expect(initialRtoUs({ kind: 'uniform', minUs: 0, maxUs: 1000 })).toBe(ms(200) + 1000);
  });

  it('retransmissions leave at 0.2, 0.6, 1.4, 3.0, 6.2 … s, each interval doubling up to 120 s', () => {
    const rto = ms(200);
    const expected = [0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0, 102.2, 204.6, 324.6, 444.6];
    for (let i = 0; i < expected.length; i++) {
      const at = sec(expected[i]!);
      expect(retransmissionAtOrAfter(0, rto, at)).toBe(at);
      expect(retransmissionAtOrAfter(0, rto, at - 1)).toBe(at);
      if (i > 0) expect(retransmissionAtOrAfter(0, rto, sec(expected[i - 1]!) + 1)).toBe(at);
    }
    // A 30 s outage: nothing moves until 51 s, 21 s after the heal.
    expect(retransmissionAtOrAfter(0, rto, sec(30))).toBe(sec(51));
  });

  it('gives up at the first expiry once the budget has passed', () => {
    expect(giveUpAt(0, ms(200))).toBe(ms(924_600));
    // A slightly larger RTO shifts every expiry: 1023 × 200.2 ms + 6 × 120 s.
    expect(giveUpAt(1000, ms(200) + 200)).toBe(1000 + 1023 * (ms(200) + 200) + 6 * sec(120));
  });
});
