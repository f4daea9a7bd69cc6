/**
 * The scenario file's structure as zod schemas: the single source of truth for what keys
 * exist, their types and units (scenarios/FORMAT.md is the prose, scenarios/schema.json the
 * generated JSON Schema). Units are parsed here by transforms so a bad "5 sec" fails with
 * the unit parser's own message; cross-references (node names, times vs duration) are
 * checked later in semantics.ts, where the whole file is known.
 *
 * Every leaf carries a `description` phrased to follow "expected …": issues.ts builds
 * messages from it.
 */
import { z } from 'zod';
import { KNOWN_REDIS_OPTIONS, REDIS_OPTION_ALIASES } from '../redis/index.js';
import { costsSchema } from './costs.js';

export { durationSchema, signedDurationSchema, sizeSchema, bandwidthSchema, rateSchema, countSchema, dbSchema, nodeRefSchema, nodeListSchema } from './schema-units.js';
import { durationSchema, signedDurationSchema, sizeSchema, bandwidthSchema, rateSchema, countSchema, dbSchema, nodeRefSchema, nodeListSchema } from './schema-units.js';
import { sentinelsSchema, sentinelSectionSchema, sentinelClientItemSchema, sentinelExpectVariants } from './sentinel-schema.js';
const textSchema = z.string().meta({ description: 'text' });

/** A redis.conf value as YAML writes it; config-parse.ts checks it per option. */
const configValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .meta({ description: 'a redis.conf value like 1mb, 60, yes or "replica 256mb 64mb 60"' });

/** `config:` maps redis.conf names to values. Names are checked by semantics.ts (did-you-mean, "not modelled"). */
export const configSchema = z.record(z.string(), configValueSchema).meta({
  id: 'redisConfig',
  description: 'redis.conf options (name: value)',
  // For editors: the names replsim models, so completion offers them and typos are flagged.
  // replicaof is left out: the topology is declared with nodes.<name>.replicaof.
  propertyNames: { enum: [...KNOWN_REDIS_OPTIONS, ...Object.keys(REDIS_OPTION_ALIASES)].filter((n) => n !== 'replicaof' && n !== 'slaveof') },
});

export const latencySchema = z
  .union([
    durationSchema,
    z.strictObject({ min: durationSchema, max: durationSchema }).meta({ description: 'uniform latency {min, max}' }),
    z.strictObject({ mean: durationSchema, stddev: durationSchema, floor: durationSchema.optional() })
      .meta({ description: 'normal latency {mean, stddev, floor?}' }),
    z.strictObject({ median: durationSchema, sigma: z.number().min(0), floor: durationSchema.optional() })
      .meta({ description: 'log-normal latency {median, sigma, floor?}' }),
  ])
  .meta({ id: 'latency', description: 'a latency: "1ms", {min, max}, {mean, stddev} or {median, sigma}' });

const pairSchema = z.tuple([nodeRefSchema, nodeRefSchema]).meta({ description: 'two node names like [m1, r1]' });

export const networkSchema = z.strictObject({
  latency: latencySchema.optional(),
  bandwidth: bandwidthSchema.optional(),
  'tcp-send-buffer': sizeSchema.optional().meta({ description: 'effective SO_SNDBUF of every connection: bytes the sending kernel takes (default 4mb)' }),
  'tcp-receive-buffer': sizeSchema.optional().meta({ description: 'effective SO_RCVBUF of every connection: bytes the receiving kernel holds for a reader that does not read (default 512kb)' }),
  links: z
    .array(z.strictObject({ between: pairSchema, latency: latencySchema.optional(), bandwidth: bandwidthSchema.optional() }))
    .optional(),
});

export const nodeSchema = z
  .union([
    z.strictObject({ replicaof: nodeRefSchema.optional(), config: configSchema.optional() }),
    z.null(),
  ])
  .meta({ description: 'a node: {} for a master, or { replicaof: m1, config: {…} }' });

export const nodeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/)
  .meta({ description: 'a node name made of letters, digits, - and _ (it is also the host name)' });

const datasetItemSchema = z.strictObject({
  node: nodeRefSchema,
  keys: countSchema,
  'value-size': sizeSchema.optional(),
  prefix: textSchema.optional(),
  db: dbSchema.optional(),
  values: z.union([
    z.enum(['populate', 'random']),
    z.strictObject({ ratio: z.number().gt(0).max(1).meta({ description: 'LZF output as a fraction of the value, like 0.4' }) }),
  ]).meta({ description: 'how the values compress in an RDB: populate (DEBUG POPULATE\'s, very compressible), random (incompressible) or { ratio: 0.4 }' }).optional(),
});
export const datasetSchema = z
  .union([datasetItemSchema, z.array(datasetItemSchema)])
  .meta({ description: 'a preload {node, keys, value-size} or a list of them' });

// Weights are relative; the cap keeps their sum finite (two weights of 1e308 summed to
// Infinity and crashed the op picker).
const weightSchema = z.number().min(0).max(1_000_000).meta({ description: 'a weight from 0 to 1000000' });
const workloadItemSchema = z.strictObject({
  node: nodeRefSchema,
  rate: rateSchema.optional(),
  replay: z.string().min(1).meta({ description: 'a redis-cli MONITOR capture to replay at its own times (path relative to the scenario file)' }).optional(),
  speed: z.number().positive().meta({ description: 'replay: captured time is divided by this (2 = twice as fast)' }).optional(),
  loop: z.boolean().meta({ description: 'replay: start the capture again after its end' }).optional(),
  window: z
    .strictObject({ from: durationSchema.optional(), until: durationSchema.optional() })
    .meta({ description: "replay: only the capture's commands in this window of its own time" })
    .optional(),
  sample: z.number().gt(0).max(1).meta({ description: 'replay: the fraction of keys kept (0 < sample ≤ 1), by a hash of the key' }).optional(),
  from: durationSchema.optional(),
  until: durationSchema.optional(),
  keys: z.number().int().min(1).meta({ description: 'a whole number ≥ 1 (replay: rename the captured keys onto at most this many names per stem)' }).optional(),
  'value-size': sizeSchema.optional(),
  'value-sizes': z
    .record(z.string(), z.number().min(0).max(1_000_000))
    .meta({ description: 'value sizes drawn per write, by weight: { 100: 9, 10kb: 1 } (instead of one value-size)' })
    .optional(),
  db: dbSchema.optional(),
  'key-prefix': textSchema.optional(),
  'key-distribution': z
    .union([
      z.literal('uniform'),
      z.strictObject({ zipf: z.number().gt(0).max(10).meta({ description: 'the exponent s > 0: key k drawn ∝ 1/(k+1)^s (YCSB uses 0.99)' }) }),
      z.strictObject({
        hot: z.number().gt(0).max(1).meta({ description: 'the fraction of the keys that is hot (0 < hot ≤ 1)' }),
        probability: z.number().min(0).max(1).meta({ description: 'the fraction of the draws that go to the hot keys' }),
      }),
    ])
    .meta({ description: 'how keys are drawn: uniform (default), { zipf: 0.99 } or { hot: 0.01, probability: 0.9 }' })
    .optional(),
  ttl: durationSchema.optional(),
  wait: z
    .strictObject({
      replicas: z.number().int().min(0).meta({ description: 'a whole number ≥ 0' }).optional(),
      timeout: durationSchema.optional(),
    })
    .meta({ description: 'acknowledged writes: { replicas: 1, timeout: 500ms } (each SET is followed by WAIT)' })
    .optional(),
  ops: z
    .strictObject({
      set: weightSchema.optional(), incr: weightSchema.optional(), get: weightSchema.optional(),
      del: weightSchema.optional(), expire: weightSchema.optional(), append: weightSchema.optional(),
      hset: weightSchema.optional(), hget: weightSchema.optional(), hincrby: weightSchema.optional(),
      lpush: weightSchema.optional(), rpop: weightSchema.optional(), sadd: weightSchema.optional(),
      zadd: weightSchema.optional(), xadd: weightSchema.optional(),
      eval: z
        .strictObject({
          weight: weightSchema,
          script: z.string().meta({ description: 'the Lua script, as EVAL gets it' }),
          keys: z.number().int().min(0).meta({ description: 'how many KEYS each call draws from the key space (default 1)' }).optional(),
          args: z.number().int().min(0).meta({ description: 'how many ARGV values each call passes, each value-size bytes (default 0)' }).optional(),
        })
        .meta({ description: 'scripts: { weight: 0.1, script: "return redis.call(\'incr\', KEYS[1])", keys: 1 }' })
        .optional(),
    })
    .optional(),
});
const anyWorkloadItem = z.union([workloadItemSchema, sentinelClientItemSchema]);
export const workloadSchema = z
  .union([workloadItemSchema, sentinelClientItemSchema, z.array(anyWorkloadItem)])
  .meta({ description: 'a workload {node, rate, …} or { sentinel-client: {…} }, or a list of them' });

const at = durationSchema.optional();
/** A condition instead of a time (sim/scenario/trigger.ts): "r1 enters transfer", "r1.lag_bytes > 1mb". */
const when = z.string().meta({ description: 'a condition: "<node> <event>" like "r1 enters transfer", or a comparison like "r1.lag_bytes > 0.9 * repl-backlog-size"' }).optional();
const forSchema = durationSchema.optional();

/**
 * One variant per action; a step has `at` and exactly one action key. issues.ts picks the
 * variant whose keys the step uses, so errors talk about the action the user meant.
 */
export const stepVariants = {
  command: z.strictObject({
    at,
    when,
    node: nodeRefSchema,
    command: z.string().meta({ description: 'a Redis command like "SET foo bar"' }),
    client: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .meta({ description: 'the client connection that sends it (letters, digits, - and _); steps without one share the node\'s timeline connection' })
      .optional(),
    reply: z.union([z.string(), z.number()]).meta({ description: 'the reply this command must get, as redis-cli prints it: OK, 2, "bar", (nil), (error) NOREPLICAS …' }).optional(),
  }),
  write: z.strictObject({
    at,
    when,
    node: nodeRefSchema.optional(),
    write: z.strictObject({
      node: nodeRefSchema.optional(),
      count: z.number().int().min(1).meta({ description: 'a whole number ≥ 1' }),
      'value-size': sizeSchema.optional(),
      db: dbSchema.optional(),
      prefix: textSchema.optional(),
    }),
  }),
  'kill-link': z.strictObject({ at, when, 'kill-link': nodeRefSchema }),
  partition: z.strictObject({
    at,
    when,
    partition: z
      .union([
        z.array(nodeListSchema).min(2).meta({ description: 'two or more groups like [[m1], [r1, r2]]' }),
        z.strictObject({ from: z.union([nodeRefSchema, nodeListSchema]), to: z.union([nodeRefSchema, nodeListSchema]) }),
      ])
      .meta({ description: 'groups like [[m1], [r1, r2]] or a one-way cut {from: [m1], to: [r1]}' }),
  }),
  heal: z.strictObject({ at, when, heal: z.literal('all').meta({ description: 'all' }) }),
  pause: z.strictObject({ at, when, pause: nodeRefSchema, for: forSchema }),
  resume: z.strictObject({ at, when, resume: nodeRefSchema }),
  crash: z.strictObject({ at, when, crash: nodeRefSchema }),
  'power-loss': z.strictObject({ at, when, 'power-loss': nodeRefSchema }),
  restart: z.strictObject({ at, when, restart: nodeRefSchema }),
  latency: z.strictObject({
    at,
    when,
    latency: z.strictObject({ between: pairSchema, add: durationSchema, for: forSchema }),
  }),
  disk: z.strictObject({
    at,
    when,
    disk: z
      .strictObject({
        node: nodeRefSchema,
        full: z.boolean().meta({ description: 'true: every file write fails (ENOSPC); false: space again' }).optional(),
        'fail-bgsave': z.number().int().min(0).meta({ description: 'fail the next N BGSAVEs with a write error' }).optional(),
        speed: sizeSchema.meta({ description: 'file write speed in bytes per second, like 20mb' }).optional(),
      })
      .meta({ description: 'disk faults of a host: { node: r1, full: true }, { node: m1, fail-bgsave: 1 }, { node: m1, speed: 20mb }' }),
  }),
  swizzle: z.strictObject({
    at,
    when,
    swizzle: z
      .strictObject({
        nodes: nodeListSchema.optional(),
        for: durationSchema,
        add: durationSchema.optional(),
      })
      .meta({ description: 'FoundationDB swizzle-clogging: { for: 10s, add: 2s, nodes: [m1, r1, r2] } clogs a random subset of the links one by one over the first half, unclogs them in random order over the second' }),
  }),
  clock: z.strictObject({
    at,
    when,
    clock: z
      .strictObject({
        node: nodeRefSchema,
        skew: signedDurationSchema.optional(),
        jump: signedDurationSchema.optional(),
        drift: z.number().meta({ description: 'parts per million, like 100 or -50' }).optional(),
      })
      .meta({ description: "a node's wall clock: { node, skew: 2s } sets its offset, { node, jump: -5s } steps it, { node, drift: 100 } makes it run fast by 100 ppm" }),
  }),
  'config-set': z.strictObject({
    at,
    when,
    node: nodeRefSchema.optional(),
    'config-set': configSchema.meta({
      description: 'redis.conf options to CONFIG SET, like { repl-timeout: 5 }, or { node, option, value }',
    }),
  }),
} as const;

export const timelineStepSchema = z
  .union([
    stepVariants.command, stepVariants.write, stepVariants['kill-link'], stepVariants.partition, stepVariants.heal,
    stepVariants.pause, stepVariants.resume, stepVariants.crash, stepVariants['power-loss'], stepVariants.restart, stepVariants.latency,
    stepVariants.clock, stepVariants.swizzle, stepVariants.disk, stepVariants['config-set'],
  ])
  .meta({ id: 'timelineStep', description: `a step: { at | when, <action> } with one action of ${Object.keys(stepVariants).join(', ')}` });

const compareValue = z.union([z.string(), z.number()]).meta({ description: 'a number or a string' });
const compareOps = {
  equals: compareValue.optional(),
  'not-equals': compareValue.optional(),
  'at-least': z.number().meta({ description: 'a number' }).optional(),
  'at-most': z.number().meta({ description: 'a number' }).optional(),
  between: z.tuple([z.number(), z.number()]).meta({ description: 'two numbers like [1, 5]' }).optional(),
};
export const COMPARE_OPS = Object.keys(compareOps) as Array<keyof typeof compareOps>;
const fieldSchema = z.string().min(1).meta({ description: 'an INFO field name like master_repl_offset' });

export const expectVariants = {
  stat: z.strictObject({ node: nodeRefSchema, stat: fieldSchema, ...compareOps }),
  info: z.strictObject({ node: nodeRefSchema, info: fieldSchema, ...compareOps }),
  converged: z.strictObject({ converged: z.boolean().meta({ description: 'true or false' }) }),
  dbsize: z.strictObject({
    node: nodeRefSchema,
    dbsize: z.union([countSchema, z.strictObject(compareOps)]).meta({ description: 'a number, or a comparison like { at-least: 100 }' }),
  }),
  invariant: z.strictObject({
    invariant: z.string().min(1).meta({ description: 'a checker name like durability, or all' }),
  }),
  'lost-acknowledged-writes': z.strictObject({
    'lost-acknowledged-writes': z.union([countSchema, z.strictObject(compareOps)])
      .meta({ description: 'how many WAIT-acknowledged writes may be missing at the end: a number (0: none), or a comparison like { at-most: 10 }' }),
  }),
  'lost-writes': z.strictObject({
    'lost-writes': z.union([countSchema, z.strictObject(compareOps)])
      .meta({ description: 'how many writes answered OK (acknowledged or not) may be missing at the end: a number, or a comparison' }),
  }),
  reply: z.strictObject({
    node: nodeRefSchema,
    reply: z.string().meta({ description: 'a Redis command like "GET foo"' }),
    equals: compareValue.optional(),
    'not-equals': compareValue.optional(),
  }),
  ...sentinelExpectVariants,
} as const;

export const expectationSchema = z
  .union([
    expectVariants.stat, expectVariants.info, expectVariants.converged, expectVariants.dbsize, expectVariants.invariant, expectVariants.reply,
    expectVariants['lost-acknowledged-writes'], expectVariants['lost-writes'],
    expectVariants['sentinel-address'], expectVariants['sentinel-flags'], expectVariants['sentinel-epoch'], expectVariants['sentinel-event'],
    expectVariants['sentinel-field'], expectVariants['client-writes'],
  ])
  .meta({ id: 'expectation', description: `an expectation: { node, stat|info: field, equals|at-least|… }, { converged: true }, { node, dbsize: … }, { invariant: all }, { node, reply: "GET k", equals: … }, { lost-acknowledged-writes: 0 }, or on a Sentinel { sentinel, master, address | flags | config-epoch | field }, { sentinel, event, count }` });

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).meta({ description: 'a scenario name' }).optional(),
  description: textSchema.optional(),
  seed: z.union([z.string(), z.number()]).meta({ description: 'a seed (string or number)' }).optional(),
  duration: durationSchema.optional(),
  config: configSchema.optional(),
  nodes: z.record(nodeNameSchema, nodeSchema).meta({ description: 'a map of node names to nodes, like { m1: {}, r1: { replicaof: m1 } }' }),
  sentinels: sentinelsSchema.optional(),
  sentinel: sentinelSectionSchema.optional(),
  network: networkSchema.optional(),
  dataset: datasetSchema.optional(),
  workload: workloadSchema.optional(),
  timeline: z.array(timelineStepSchema).meta({ description: 'a list of steps' }).optional(),
  expect: z.array(expectationSchema).meta({ description: 'a list of expectations' }).optional(),
  costs: costsSchema.optional(),
});

export type ScenarioInput = z.output<typeof scenarioSchema>;

/** The JSON Schema of the file format (scenarios/schema.json is this, pretty-printed). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'replsim scenario',
    description: 'A replsim scenario file (scenarios/FORMAT.md).',
  };
}

/** scenarios/schema.json's exact contents (a test keeps the committed file equal to this). */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
