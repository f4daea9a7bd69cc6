import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_REDIS_OPTIONS } from '../../sim/redis/config-parse.js';
import { COMPARE_OPS, expectVariants, scenarioJsonSchema, scenarioJsonSchemaText, stepVariants } from '../../sim/scenario/schema.js';

const file = new URL('../../scenarios/schema.json', import.meta.url);

describe('scenarios/schema.json', () => {
  it('is what the zod schema generates (UPDATE_SCHEMA=1 rewrites it)', () => {
    const fresh = scenarioJsonSchemaText();
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(file, fresh);
    expect(readFileSync(file, 'utf8')).toBe(fresh);
  });

  it('describes the top level strictly, with the contract keys', () => {
    const s = scenarioJsonSchema() as { properties: Record<string, unknown>; additionalProperties: unknown; required: string[] };
    expect(Object.keys(s.properties)).toEqual([
      'name', 'description', 'seed', 'duration', 'config', 'nodes', 'sentinels', 'sentinel', 'network', 'dataset', 'workload', 'timeline', 'expect', 'costs',
    ]);
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['nodes']);
  });
});

describe('scenarios/FORMAT.md', () => {
  const doc = readFileSync(new URL('../../scenarios/FORMAT.md', import.meta.url), 'utf8');
  it('documents every redis.conf option, timeline action, expectation kind and comparison', () => {
    const names = [
      ...KNOWN_REDIS_OPTIONS.filter((o) => o !== 'replicaof'),
      ...Object.keys(stepVariants), ...Object.keys(expectVariants), ...COMPARE_OPS,
    ];
    expect(names.filter((n) => !doc.includes(`\`${n}\``) && !doc.includes(`${n}:`))).toEqual([]);
  });
});
