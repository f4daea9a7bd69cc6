/**
 * The report's only I/O: index.html, report.md and data.json into one directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from './html.js';
import { renderReportMarkdown } from './markdown.js';
import type { ReportData } from './report-data.js';

export interface WrittenReport {
  dir: string;
  html: string;
  markdown: string;
  json: string;
}

export function writeReport(data: ReportData, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const out: WrittenReport = { dir, html: join(dir, 'index.html'), markdown: join(dir, 'report.md'), json: join(dir, 'data.json') };
  writeFileSync(out.html, renderReportHtml(data));
  writeFileSync(out.markdown, renderReportMarkdown(data));
  writeFileSync(out.json, `${JSON.stringify(data)}\n`);
  return out;
}
