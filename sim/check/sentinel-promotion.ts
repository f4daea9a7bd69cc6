/**
 * Which replica a Sentinel promotes (sentinel.c's sentinelSelectSlave): never
 * one whose replica-priority is 0 — the operator's "never make this node a master". Read
 * from the node's own config, not from the Sentinel's view of it, so a Sentinel that
 * misreads or ignores the setting is caught.
 */
import { parseEventInstance } from './sentinel-history.js';
import type { FinalState, History } from './history.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkSentinelPromotion(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('sentinel-promotion', h.meta.seed);
  const facts = h.sentinel;
  if (facts === undefined) {
    out.note('not checked: no Sentinels');
    return out.result();
  }
  let selections = 0;
  for (const e of facts.history.events) {
    if (e.type !== '+selected-slave') continue;
    selections++;
    const host = parseEventInstance(e.msg).host;
    const priority = h.meta.configs[host]?.replicaPriority;
    if (priority === 0) out.violation(host, e.t, `${e.sentinel} selected ${host} for promotion, but its replica-priority is 0`);
  }
  out.note(`${selections} replica selection(s)`);
  return out.result();
}
