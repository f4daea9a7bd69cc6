/**
 * The run's timeline for humans: virtual time, node, what happened, coloured by severity
 * (faults stand out, syncs are easy to follow). Replies to timeline commands are woven in
 * at their time unless the runner already logged them.
 */
import type { ChalkInstance } from 'chalk';
import { formatClock } from '../engine/index.js';
import type { RunResult, TimelineEvent } from '../scenario/result.js';

export function formatTimeline(result: RunResult, c: ChalkInstance): string {
  // Runners may already log replies in the timeline; add only the ones missing from it.
  const logged = (cmd: RunResult['commands'][number]): boolean =>
    result.timeline.some((e) => e.t === cmd.at && e.node === cmd.node && e.text.startsWith(cmd.command));
  const replies: TimelineEvent[] = result.commands.filter((cmd) => !logged(cmd)).map((cmd) => ({
    t: cmd.at,
    node: cmd.node,
    kind: 'command',
    text: `${cmd.command} → ${cmd.reply.replace(/\n/g, ' ')}`,
    severity: cmd.reply.startsWith('(error)') ? 'error' : 'info',
  }));
  // Stable sort: at equal times the runner's own order stands, replies after events.
  const events = [...result.timeline, ...replies].sort((a, b) => a.t - b.t);
  if (events.length === 0) return '';
  const width = Math.max(4, ...events.map((e) => (e.node ?? '').length));
  const clockWidth = Math.max(...events.map((e) => formatClock(e.t).length));
  const paint = (e: TimelineEvent, s: string): string => {
    switch (e.severity) {
      case 'fault': return c.yellow(s);
      case 'sync': return c.cyan(s);
      case 'error': return c.red.bold(s);
      default: return s;
    }
  };
  const lines = events.map((e) => `  ${c.dim(`${formatClock(e.t).padStart(clockWidth)}s`)}  ${(e.node ?? '-').padEnd(width)}  ${paint(e, e.text)}`);
  return `${c.bold('timeline')}\n${lines.join('\n')}\n`;
}
