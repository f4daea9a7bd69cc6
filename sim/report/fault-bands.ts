/**
 * `fault.*` trace records → bands on the time axis: a partition lasts until `heal`, a
 * SIGSTOP until SIGCONT, a crash until the restart, added latency until its `for` runs out
 * or `heal`; a link kill and a write burst are instants. Each band gets the time every
 * replica had recovered from it (the collector's `obs.recovered`, keyed by the moment the
 * fault was lifted). Pure.
 */
import { type Micros, type TraceEvent, type TraceRecord, formatMicros } from '../engine/index.js';
import type { FaultBand, FaultKind } from './report-data.js';

const str = <R extends TraceEvent>(r: R, k: keyof R & string): string => String(r[k] ?? '');

export function buildFaultBands(records: readonly TraceEvent[], runEndUs: Micros): FaultBand[] {
  const bands: FaultBand[] = [];
  /** Bands lifted by `heal: all`. */
  const healable: FaultBand[] = [];
  const openPause = new Map<string, FaultBand>();
  const openCrash = new Map<string, FaultBand>();
  const recoveredFrom = new Map<Micros, Micros>();
  const add = (kind: FaultKind, label: string, nodes: string[], t: Micros, endUs: Micros | null): FaultBand => {
    const b: FaultBand = { id: bands.length + 1, kind, label, nodes, startUs: t, endUs, recoveredUs: null };
    bands.push(b);
    return b;
  };
  for (const r of records) {
    const node = r.node ?? '';
    switch (r.kind) {
      case 'fault.partition': {
        const groups = str(r, 'groups');
        healable.push(add('partition', `partition ${groups}`, groups.split(/[|,]/).map((s) => s.trim()).filter(Boolean), r.t, null));
        break;
      }
      case 'fault.partition-one-way':
        healable.push(add('partition-one-way', `one-way ${str(r, 'from')} -/-> ${str(r, 'to')}`,
          [...str(r, 'from').split(','), ...str(r, 'to').split(',')].filter(Boolean), r.t, null));
        break;
      case 'fault.heal':
        for (const b of healable.splice(0)) if (b.endUs === null) b.endUs = r.t;
        break;
      case 'fault.pause': {
        const forUs = Number(r['for_us']);
        openPause.set(node, add('pause', `SIGSTOP ${node}${forUs >= 0 ? ` ${formatMicros(forUs)}` : ''}`, [node], r.t, null));
        break;
      }
      case 'fault.resume': {
        const b = openPause.get(node);
        if (b) b.endUs = r.t;
        openPause.delete(node);
        break;
      }
      case 'fault.crash':
        openCrash.set(node, add('crash', `crash ${node}`, [node], r.t, null));
        break;
      case 'fault.power-loss':
        openCrash.set(node, add('crash', `power loss ${node}`, [node], r.t, null));
        break;
      case 'fault.restart': {
        const b = openCrash.get(node);
        if (b) b.endUs = r.t;
        openCrash.delete(node);
        break;
      }
      case 'fault.kill-link':
        add('kill-link', `kill link ${node}`, [node], r.t, r.t);
        break;
      case 'fault.write-burst':
        add('write-burst', `${str(r, 'count')} writes on ${node}`, [node], r.t, r.t);
        break;
      case 'fault.latency': {
        const forUs = Number(r['for_us']);
        const between = str(r, 'between');
        const b = add('latency', `+${formatMicros(Number(r['add_us']))} ${between.replace(',', '↔')}`, between.split(','), r.t,
          forUs >= 0 && r.t + forUs <= runEndUs ? r.t + forUs : null);
        if (forUs < 0) healable.push(b);
        break;
      }
      case 'obs.recovered': {
        const from = Number(r['from_us']);
        if (!recoveredFrom.has(from)) recoveredFrom.set(from, r.t);
        break;
      }
    }
  }
  for (const b of bands) if (b.endUs !== null) b.recoveredUs = recoveredFrom.get(b.endUs) ?? null;
  return bands;
}
