/**
 * The unit-bearing leaves of the scenario schema (durations, sizes, rates, node references),
 * shared by schema.ts and sentinel-schema.ts. Units are parsed by transforms so a bad
 * "5 sec" fails with the unit parser's own message.
 */
import { z } from 'zod';
import { parseDuration, parseBandwidth, parseNonNegativeDuration, parseRate, parseSize, UnitError } from '../engine/index.js';

/** A value parsed by one of the engine's unit parsers; a UnitError becomes a zod issue. */
function unit<T>(parse: (v: string | number) => T, description: string, examples: Array<string | number>, id?: string) {
  return z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      try {
        return parse(v);
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message, input: v });
        return z.NEVER;
      }
    })
    .meta({ description, examples, ...(id !== undefined ? { id } : {}) });
}

export const durationSchema = unit(
  // A bare 0 is unambiguous, so `from: 0` is allowed; any other bare number needs a unit.
  // Nothing in a scenario is a negative span of time.
  (v) => (v === 0 ? 0 : parseNonNegativeDuration(v, 'a duration')),
  'a duration like "5s", "250ms", "2m" or "200us"',
  ['5s', '250ms', '200us'],
  'duration',
);
/** Clock offsets and steps may go backwards: "-5s" is an NTP step back. */
export const signedDurationSchema = unit(
  (v) => (v === 0 ? 0 : parseDuration(v, 'a duration (may be negative)')),
  'a duration like "2s" or "-500ms"',
  ['2s', '-5s'],
);
export const sizeSchema = unit((v) => parseSize(v, 'a size'), 'a size like "100", "1kb" (1024) or "1mb" (1048576)', [100, '1kb'], 'size');
export const bandwidthSchema = unit((v) => parseBandwidth(v, 'a bandwidth'), 'a bandwidth like "1gbit", "100mbit" or "50MB/s"', ['1gbit', '100mbit'], 'bandwidth');
export const rateSchema = unit((v) => parseRate(v, 'a rate'), 'a rate like "1000/s" or "10k/s"', ['1000/s']);

export const countSchema = z.number().int().min(0).meta({ description: 'a whole number ≥ 0' });
export const dbSchema = z.number().int().min(0).meta({ description: 'a database number ≥ 0' });
export const nodeRefSchema = z.string().min(1).meta({ id: 'nodeRef', description: 'a node name declared under nodes:' });
export const nodeListSchema = z.array(nodeRefSchema).min(1).meta({ description: 'a list of node names like [r1, r2]' });
