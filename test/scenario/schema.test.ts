import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../sim/scenario/schema.js';

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
      'name', 'description', 'seed', 'duration', 'config', 'nodes', 'network', 'dataset', 'workload', 'timeline', 'expect',
    ]);
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['nodes']);
  });
});
