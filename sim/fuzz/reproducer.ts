/**
 * The reproducer of a failure: the shrunk case as an ordinary scenario file whose `expect:`
 * is the invariant that failed, headed by comments saying what was found and how to replay
 * it. `replsim run` fails on it; `replsim replay` shows the trace around the violation.
 */
import { formatMicros } from '../engine/index.js';
import type { FuzzCase } from './case.js';
import type { Failure } from './property.js';
import { bugFlags, reproducerFileName } from './reproducer-file.js';
import { caseText } from './scenario-text.js';

export { bugFlags, reproducerFileName, TRACE_HASH_LINE } from './reproducer-file.js';

export interface ReproducerContext {
  caseSeed: number;
  profile: string;
  bugs: readonly string[];
  /** Where the file will be written, for the replay line (default: <checker>-<seed>.yaml). */
  file?: string;
  /** The failing run's trace hash: `replsim replay` checks that it gets the same one. */
  traceHash?: string;
}


export function reproducerText(c: FuzzCase, failure: Failure, ctx: ReproducerContext): string {
  const file = ctx.file ?? reproducerFileName(failure.checker, ctx.caseSeed);
  const where = failure.violation ? ` on ${failure.violation.node ?? 'the cluster'} at ${formatMicros(failure.violation.t)}` : '';
  const bugs = ctx.bugs.length > 0 ? `, planted bug ${ctx.bugs.join(', ')}` : '';
  const header = [
    `replsim fuzz: ${failure.checker} violated${where} (case seed ${ctx.caseSeed}, profile ${ctx.profile}${bugs})`,
    ...wrap(failure.message, 96).map((l) => `  ${l}`),
    `replay: npx replsim replay ${file}${bugFlags(ctx.bugs)}`,
    `or:     npx replsim run ${file}${bugFlags(ctx.bugs)}`,
    `unshrunk: npx replsim replay --seed ${ctx.caseSeed} --profile ${ctx.profile}${bugFlags(ctx.bugs)}`,
    `(seed: below is the simulation seed this case drew, not the case seed)`,
    ...(ctx.traceHash ? [`trace hash: ${ctx.traceHash}`] : []),
    '',
  ];
  const expect = failure.checker === 'crash' || failure.checker === 'expectation' ? ['{ invariant: all }'] : [`{ invariant: ${failure.checker} }`];
  return caseText(c, { header, expect, name: `${failure.checker}-${ctx.caseSeed}` });
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out;
}
