/**
 * The Sentinel parts of the scenario file (scenarios/FORMAT.md "Sentinel"): the `sentinels:`
 * map of Sentinel processes, the `sentinel:` section (what every Sentinel's sentinel.conf
 * holds: `monitor` and the options by their sentinel.conf names), Sentinel-aware clients in
 * `workload:`, and expectations on a Sentinel's state. Options are strict objects so a
 * misspelt sentinel.conf name fails with a did-you-mean (issues.ts); whether names and
 * numbers fit the rest of the file (the monitored node exists, quorum ≤ Sentinels) is
 * checked in sentinel-semantics.ts.
 */
import { z } from 'zod';
import { SENTINEL_DEBUG_PARAMS } from '../sentinel/index.js';
import { SENTINEL_LOSS_CAUSES } from '../check/index.js';
import { dbSchema, durationSchema, nodeRefSchema, rateSchema } from './schema-units.js';

const msSchema = (min: number) =>
  z.number().int().min(min).meta({ description: `a whole number of milliseconds ≥ ${min}, as sentinel.conf writes it` });
const textSchema = z.string().meta({ description: 'text' });

/** SENTINEL DEBUG's timing parameters by their own names (info-period, ping-period, …), in ms. */
const debugSchema = z
  .strictObject(Object.fromEntries(SENTINEL_DEBUG_PARAMS.map(([name]) => [name, msSchema(1).optional()])))
  .meta({ description: 'SENTINEL DEBUG timings in ms, like { info-period: 1000, ping-period: 500 }' });

/**
 * sentinel.conf options that a scenario can set for every Sentinel (`sentinel:`) or for one
 * (`sentinels.<name>.config`). The per-master ones apply to every monitored master.
 */
export const sentinelOptionsShape = {
  'down-after-milliseconds': msSchema(1).optional(),
  'failover-timeout': msSchema(1).optional(),
  'parallel-syncs': z.number().int().min(0).meta({ description: 'a whole number ≥ 0' }).optional(),
  'auth-pass': textSchema.optional(),
  'auth-user': textSchema.optional(),
  'master-reboot-down-after-period': msSchema(0).optional(),
  'announce-ip': textSchema.optional(),
  'announce-port': z.number().int().min(0).max(65535).meta({ description: 'a port 0..65535 (0: the port)' }).optional(),
  'sentinel-user': textSchema.optional(),
  'sentinel-pass': textSchema.optional(),
  debug: debugSchema.optional(),
};

const monitorSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/).meta({ description: 'a master name like mymaster' }),
    master: nodeRefSchema.meta({ description: 'the node Sentinel starts monitoring, declared under nodes:' }),
    quorum: z.number().int().min(1).meta({ description: 'a quorum ≥ 1' }),
  })
  .meta({ description: 'sentinel monitor: { name: mymaster, master: m1, quorum: 2 }' });

export const sentinelSectionSchema = z
  .strictObject({
    monitor: z.union([monitorSchema, z.array(monitorSchema).min(1)]).meta({ description: 'a monitor { name, master, quorum } or a list of them' }),
    ...sentinelOptionsShape,
  })
  .meta({ id: 'sentinel', description: 'what every Sentinel monitors, and sentinel.conf options: { monitor: { name, master, quorum }, down-after-milliseconds: 5000, … }' });

const sentinelProcessSchema = z
  .union([
    z.strictObject({
      port: z.number().int().min(1).max(65535).meta({ description: 'the Sentinel port (26379 by default)' }).optional(),
      config: z.strictObject(sentinelOptionsShape).meta({ description: 'sentinel.conf options for this Sentinel only' }).optional(),
    }),
    z.null(),
  ])
  .meta({ description: 'a Sentinel: {} or { port: 26380, config: { down-after-milliseconds: 3000 } }' });

export const sentinelsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_-]+$/).meta({ description: 'a Sentinel name made of letters, digits, - and _ (it is also its host name)' }), sentinelProcessSchema)
  .meta({ description: 'a map of Sentinel names to Sentinels, like { s1: {}, s2: {}, s3: {} }' });

/** A Sentinel-aware client (sim/workload/sentinel-client.ts) in `workload:`. */
export const sentinelClientItemSchema = z.strictObject({
  'sentinel-client': z
    .strictObject({
      sentinels: z.array(z.string().min(1).meta({ description: 'a Sentinel name' })).min(1)
        .meta({ description: 'the Sentinels to ask, in order, like [s1, s2, s3] (default: all, as declared)' }).optional(),
      master: z.string().min(1).meta({ description: 'a master name of sentinel.monitor' }).optional(),
      rate: rateSchema,
      from: durationSchema.optional(),
      until: durationSchema.optional(),
      host: z.string().regex(/^[A-Za-z0-9_-]+$/).meta({ description: 'the client\'s host name, usable in partition:' }).optional(),
      'role-check': z.boolean().meta({ description: 'true: ROLE must say master before writing (the documented algorithm)' }).optional(),
      'retry-delay': durationSchema.optional(),
      'connect-timeout': durationSchema.optional(),
      timeout: durationSchema.meta({ description: 'a duration: a command unanswered this long closes the connection' }).optional(),
      subscribe: z.boolean().meta({ description: 'true: also subscribe to +switch-master on the Sentinel that answered' }).optional(),
      first: z.string().min(1).meta({ description: 'the Sentinel asked first (default: the first of sentinels)' }).optional(),
      'key-prefix': z.string().meta({ description: 'text' }).optional(),
      db: dbSchema.optional(),
    })
    .meta({ description: 'a Sentinel-aware client: { sentinels: [s1, s2, s3], master: mymaster, rate: 100/s, role-check: true }' }),
});

const countCompare = z.union([
  z.number().int().min(0).meta({ description: 'a whole number ≥ 0' }),
  z.strictObject({
    equals: z.number().optional(),
    'at-least': z.number().optional(),
    'at-most': z.number().optional(),
    between: z.tuple([z.number(), z.number()]).optional(),
  }).meta({ description: 'a comparison like { at-least: 1 }' }),
]).meta({ description: 'a count, or a comparison like { at-least: 1 }' });

const sentinelRef = z.string().min(1).meta({ description: 'a Sentinel name declared under sentinels:, or all' });
const masterRef = z.string().min(1).meta({ description: 'a master name of sentinel.monitor (optional when there is one)' }).optional();

/** Expectations on Sentinel state at the end of the run (sentinel-expect.ts evaluates them). */
export const sentinelExpectVariants = {
  'sentinel-address': z.strictObject({ sentinel: sentinelRef, master: masterRef, address: z.string().min(1).meta({ description: 'a node name, or node:port' }) }),
  'sentinel-flags': z.strictObject({ sentinel: sentinelRef, master: masterRef, flags: z.string().min(1).meta({ description: 'SENTINEL MASTER flags like master or s_down,master' }) }),
  'sentinel-epoch': z.strictObject({ sentinel: sentinelRef, master: masterRef, 'config-epoch': countCompare }),
  'sentinel-event': z.strictObject({
    sentinel: sentinelRef,
    event: z.string().regex(/^[+-]/).meta({ description: 'an event type like +switch-master or +sdown' }),
    count: countCompare,
  }),
  'sentinel-field': z.strictObject({
    sentinel: sentinelRef,
    master: masterRef,
    field: z.string().min(1).meta({ description: 'a SENTINEL MASTER field like num-other-sentinels' }),
    equals: z.union([z.string(), z.number()]).optional(),
    'at-least': z.number().optional(),
    'at-most': z.number().optional(),
  }),
  'client-writes': z.strictObject({
    'client-writes': z.enum(['written', 'acknowledged', 'failed', 'indeterminate', 'lost'])
      .meta({ description: 'what to count of the Sentinel-aware clients\' writes: written, acknowledged, failed, indeterminate or lost' }),
    cause: z.enum(Object.keys(SENTINEL_LOSS_CAUSES) as [string, ...string[]]).meta({ description: `a loss cause: ${Object.keys(SENTINEL_LOSS_CAUSES).join(', ')}` }).optional(),
    equals: z.number().optional(),
    'at-least': z.number().optional(),
    'at-most': z.number().optional(),
    between: z.tuple([z.number(), z.number()]).optional(),
  }),
} as const;
