/**
 * Glob matching for KEYS, ported from Redis 7.0.15 util.c stringmatchlen: `*`, `?`,
 * `[...]` with `^` negation, ranges and `\` escapes, and the "skip longer matches" cut
 * that keeps `a*a*a*…b` patterns linear. Works on UTF-16 code units, which equals Redis's
 * byte matching for ASCII keys.
 */

export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  const state = { skipLongerMatches: false };
  return matchImpl(pattern, 0, str, 0, nocase, state);
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchImpl(p: string, pi: number, s: string, si: number, nocase: boolean, state: { skipLongerMatches: boolean }): boolean {
  const pEnd = p.length;
  const sEnd = s.length;
  while (pi < pEnd && si < sEnd) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < pEnd && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === pEnd) return true;
      while (si < sEnd) {
        if (matchImpl(p, pi + 1, s, si, nocase, state)) return true;
        if (state.skipLongerMatches) return false;
        si++;
      }
      state.skipLongerMatches = true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let match = false;
      const c = s.charCodeAt(si);
      for (;;) {
        if (pi >= pEnd) {
          pi--; // unterminated class: Redis backs up so the outer loop's step lands on the end
          break;
        }
        const cc = p.charCodeAt(pi);
        if (cc === 92 /* \ */ && pEnd - pi >= 2) {
          pi++;
          if (p.charCodeAt(pi) === c) match = true;
        } else if (cc === 93 /* ] */) {
          break;
        } else if (pEnd - pi >= 3 && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = cc;
          let end = p.charCodeAt(pi + 2);
          let x = c;
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            x = lower(x);
          }
          pi += 2;
          if (x >= start && x <= end) match = true;
        } else if (nocase ? lower(cc) === lower(c) : cc === c) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      let lit = pc;
      if (pc === 92 /* \ */ && pEnd - pi >= 2) {
        pi++;
        lit = p.charCodeAt(pi);
      }
      const c = s.charCodeAt(si);
      if (nocase ? lower(lit) !== lower(c) : lit !== c) return false;
      si++;
    }
    pi++;
    if (si === sEnd) {
      while (pi < pEnd && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === pEnd && si === sEnd;
}
