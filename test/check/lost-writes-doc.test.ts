/**
 * docs/lost-writes.md is where `run` sends a reader who sees lost writes: every cause id of
 * both accountings (workload writes, Sentinel-aware clients) has its row there, and the doc
 * names no id the code does not assign.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOSS_CAUSES, LOST_WRITES_DOC, SENTINEL_LOSS_CAUSES } from '../../sim/check/index.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', LOST_WRITES_DOC), 'utf8');
const rowIds = [...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);

describe('docs/lost-writes.md', () => {
  it('has a row for every loss cause of workload writes and of Sentinel-aware clients', () => {
    for (const id of [...Object.keys(LOSS_CAUSES), ...Object.keys(SENTINEL_LOSS_CAUSES)]) expect(rowIds, id).toContain(id);
  });

  it('documents no cause the code does not assign', () => {
    const known = new Set([...Object.keys(LOSS_CAUSES), ...Object.keys(SENTINEL_LOSS_CAUSES)]);
    expect(rowIds.filter((id) => !known.has(id))).toEqual([]);
  });
});
