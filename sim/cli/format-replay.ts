/** `run`'s lines about `replay:` workloads: what was sent, and what the model could not replay. */
import type { ChalkInstance } from 'chalk';
import type { RunResult } from '../scenario/result.js';

export function formatReplays(result: RunResult, c: ChalkInstance): string {
  if (!result.replays || result.replays.length === 0) return '';
  const lines = [c.bold('monitor replay')];
  for (const r of result.replays) {
    const k = r.counters;
    const sampled = k.sampledOut > 0 ? `, ${k.sampledOut} left out by sample` : '';
    const sentinels = k.sentinels > 0 ? `, ${k.sentinels} of the captured Sentinels left out (the scenario's Sentinels send their own)` : '';
    lines.push(`  ${r.node} ← ${r.file}: ${k.sent} commands sent, ${k.ok} ok, ${k.errors} errors${sampled}${sentinels}`);
    const unknown = Object.entries(k.unmodelled).sort((a, b) => b[1] - a[1]);
    if (unknown.length > 0) {
      const total = unknown.reduce((a, [, n]) => a + n, 0);
      lines.push(`  ${c.yellow('!')} ${total} not modelled by replsim (answered with an error, not replicated): ${unknown.map(([cmd, n]) => `${cmd.toUpperCase()} ×${n}`).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
