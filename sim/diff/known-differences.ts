/**
 * Disagreements between replsim and real Redis that are written down, so the fidelity
 * suite stays green while the list says what the model gets wrong. They live in the
 * scenario file itself, as comments (the scenario format has no key for them, and a
 * reason belongs next to the steps it explains):
 *
 *   # known-difference: r1.sync_partial_ok  real 1, replsim 0: the model … (reason)
 *   #   more lines of the reason, indented by at least two spaces after the '#'
 *   # known-difference: *.master_repl_offset  … (every node)
 *   # known-difference: command@14  … (the reply to the timeline step on line 14)
 *   # known-difference: sentinel.events  … (Sentinel scenarios: the event sequences; also
 *   #   sentinel.<SENTINEL MASTER field> and sentinel.timing — see sentinel-compare.ts)
 *
 * Only the named fields are excused; every other field must still agree.
 */

export interface KnownDifference {
  /** `node.field`, `*.field` or `command@LINE`. */
  target: string;
  reason: string;
  /** 1-based line of the comment. */
  line: number;
}

const HEAD = /^\s*#\s*known-difference:\s*(\S+)\s*(.*)$/;
const MORE = /^\s*#\s{2,}(\S.*)$/;
const TARGET = /^(?:[A-Za-z0-9_*-]+\.[a-z0-9_+-]+|command@\d+)$/;

export class KnownDifferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnownDifferenceError';
  }
}

export function parseKnownDifferences(text: string, file = 'scenario'): KnownDifference[] {
  const out: KnownDifference[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = HEAD.exec(lines[i]!);
    if (!m) continue;
    const target = m[1]!;
    if (!TARGET.test(target)) {
      throw new KnownDifferenceError(`${file}:${i + 1}: known-difference: expected node.field, *.field or command@LINE, got "${target}"`);
    }
    const reason = [m[2]!.trim()];
    while (i + 1 < lines.length) {
      const more = MORE.exec(lines[i + 1]!);
      if (!more || HEAD.test(lines[i + 1]!)) break;
      reason.push(more[1]!.trim());
      i++;
    }
    const text2 = reason.filter((r) => r !== '').join(' ');
    if (text2 === '') throw new KnownDifferenceError(`${file}:${i + 1}: known-difference ${target} needs a written reason`);
    out.push({ target, reason: text2, line: i + 1 - (reason.length - 1) });
  }
  return out;
}
