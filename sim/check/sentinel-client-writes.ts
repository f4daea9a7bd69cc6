/**
 * The Sentinel-aware clients' acknowledged writes (docs/lost-writes.md): a write
 * answered OK and missing at the end from the master the Sentinels name is lost only for a
 * documented cause (sentinel-losses.ts); one that none explains is a violation.
 */
import type { FinalState, History } from './history.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkSentinelClientWrites(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('sentinel-client-writes', h.meta.seed);
  const c = h.sentinel?.clientWrites;
  if (c === undefined) {
    out.note('not checked: no Sentinel-aware clients');
    return out.result();
  }
  for (const l of c.examples) {
    if (l.cause === 'unexplained') out.violation(l.node, l.acknowledgedUs, `acknowledged write ${l.key} by ${l.client} lost for no documented reason: ${l.story}`);
  }
  const causes = Object.entries(c.byCause).map(([k, n]) => `${k} ${n}`).join(', ');
  out.note(`${c.acknowledged} acknowledged, ${c.lost} lost${causes ? ` (${causes})` : ''}`);
  return out.result();
}
