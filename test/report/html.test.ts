/**
 * The report files: the HTML is one well-formed, self-contained document (no script, no
 * URL of any kind, so it opens offline), the Markdown has the same figures, data.json is
 * the ReportData itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectReport } from '../../sim/report/collect.js';
import { formatBytes, formatDuration } from '../../sim/report/format.js';
import { renderReportHtml } from '../../sim/report/html.js';
import { renderReportMarkdown } from '../../sim/report/markdown.js';
import { writeReport } from '../../sim/report/write-report.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'wbr']);

/** Every opened element is closed, in order (a small check, not a full HTML parser). */
function unbalancedTags(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<!DOCTYPE[^>]*>/i, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    const tag = name!.toLowerCase();
    if (VOID.has(tag) || selfClose === '/') continue;
    if (close === '') stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`</${tag}> at ${m.index}`);
  }
  return [...problems, ...stack.map((t) => `<${t}> never closed`)];
}

describe('report files', () => {
  const { data } = collectReport(loadScenarioFile(join(dir, 'full-resync-backlog-overflow.yaml')));
  const html = renderReportHtml(data);
  const md = renderReportMarkdown(data);
  const out = mkdtempSync(join(tmpdir(), 'replsim-report-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('HTML is self-contained: no script, no link, no URL, no external resource', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/https?:|ftp:|\/\/[a-z0-9]/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
  });

  it('HTML is well-formed, with every chart', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(unbalancedTags(html)).toEqual([]);
    expect(html.match(/<svg class="chart"/g)?.length).toBeGreaterThanOrEqual(5);
    for (const title of ['Replicas over time', 'Replication lag (bytes)', 'Replication lag (time)', 'Offsets and the backlog window', 'Where the time of each sync went', 'Summary']) {
      expect(html).toContain(`<h2>${title}</h2>`);
    }
  });

  it('Markdown and HTML show the same figures', () => {
    const s = data.summary;
    for (const figure of [formatBytes(s.rdbBytes), formatDuration(s.recoveries[0]!.recoveryUs), 'lack of backlog']) {
      expect(md).toContain(figure);
      expect(html).toContain(figure);
    }
    expect(md).toContain(`| full syncs | ${s.fullSyncs} |`);
    for (const sync of data.syncs) expect(md).toContain(`| ${sync.id} | ${sync.replica} | ${sync.master} |`);
  });

  it('writes index.html, report.md and data.json (the ReportData itself)', () => {
    const w = writeReport(data, join(out, 'r'));
    expect(readFileSync(w.html, 'utf8')).toBe(html);
    expect(readFileSync(w.markdown, 'utf8')).toBe(md);
    expect(JSON.parse(readFileSync(w.json, 'utf8'))).toEqual(data);
  });
});
