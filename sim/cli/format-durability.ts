/**
 * `run`'s durability section: what happened to the writes of the `wait:` clients — answered
 * OK, acknowledged by WAIT, lost by cause, and the first lost ones with their story — so a
 * loss Redis documents (and the durability invariant lets pass) is still in plain sight.
 */
import type { ChalkInstance } from 'chalk';
import { LOSS_CAUSES, LOST_WRITES_DOC } from '../check/index.js';
import type { DurabilitySummary } from '../check/index.js';
import { formatMicros } from '../engine/index.js';
import type { RunResult } from '../scenario/result.js';

function waitText(acked: number, wanted: number): string {
  return acked < 0 ? `WAIT ${wanted} failed` : `WAIT ${wanted} → ${acked}`;
}

export function formatDurability(result: RunResult, c: ChalkInstance): string {
  const d: DurabilitySummary | undefined = result.durability;
  if (!d) return '';
  const lines = [c.bold('durability')];
  lines.push(`  ${d.ok} write(s) answered OK, ${d.acknowledged} of them acknowledged by WAIT ≥ 1 ${c.dim(`(${d.writes} sent)`)}`);
  if (d.lost === 0) {
    lines.push(`  ${c.green('0 lost')}: every write answered OK is on its client's master at the end`);
  } else {
    const mark = d.lostAcknowledged > 0 ? c.red : c.yellow;
    lines.push(`  ${mark(`${d.lost} lost`)} at the end, ${mark(`${d.lostAcknowledged} of them acknowledged`)}`);
    const width = Math.max(...d.byCause.map((b) => b.title.length));
    for (const b of d.byCause) {
      const why = (LOSS_CAUSES as Record<string, { explains: string } | undefined>)[b.cause]?.explains ?? '';
      lines.push(`    ${b.title.padEnd(width)}  ${String(b.lost).padStart(5)} ${c.dim(`(${b.lostAcknowledged} acknowledged)`)}  ${c.dim(why)}`);
    }
    lines.push(`  first lost:`);
    for (const w of d.first) {
      lines.push(`    ${w.key} = ${w.value}: on ${w.node} at ${formatMicros(w.t)}, ${waitText(w.acked, w.wanted)}; missing on ${w.missingOn}: ${w.story}`);
    }
    if (d.lost > d.first.length) lines.push(c.dim(`    … ${d.lost - d.first.length} more (run --json: durability)`));
    lines.push(c.dim(`  the causes and what helps against each: ${LOST_WRITES_DOC}`));
  }
  for (const u of d.unchecked) lines.push(`  ${c.yellow('•')} not judged: ${u}`);
  return `${lines.join('\n')}\n`;
}
