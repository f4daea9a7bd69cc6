/**
 * The sweep's only I/O: index.html (heatmap), sweep.md and sweep.json into one directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSweepHtml, renderSweepMarkdown } from './render.js';
import type { SweepResult } from './sweep.js';

export function writeSweep(r: SweepResult, dir: string): { html: string; markdown: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const out = { html: join(dir, 'index.html'), markdown: join(dir, 'sweep.md'), json: join(dir, 'sweep.json') };
  writeFileSync(out.html, renderSweepHtml(r));
  writeFileSync(out.markdown, renderSweepMarkdown(r));
  writeFileSync(out.json, `${JSON.stringify(r, null, 1)}\n`);
  return out;
}
