/**
 * fast-check arbitraries for users' own properties (the library API):
 *
 *   import { test } from '@fast-check/vitest';
 *   import { scenarioArb, runScenario } from 'replsim';
 *   test.prop([scenarioArb()])('replication survives', (s) => {
 *     expect(runScenario(s).ok).toBe(true); // a block: the arrow must not return expect's value
 *   });
 *
 * A generated Scenario carries `expect: [{ invariant: all }]`, so runScenario runs every
 * checker over it; it shrinks like the campaign's cases (faults first).
 */
import type fc from 'fast-check';
import type { Scenario } from '../scenario/scenario.js';
import { caseArb, type FuzzCase } from './case.js';
import { profileNamed, type Profile } from './profiles.js';
import { caseScenario, type CaseTextOptions } from './scenario-text.js';

export interface ScenarioArbOptions {
  /** A profile name (default, quick, failover, chains) or a Profile; default `quick`. */
  profile?: string | Profile;
  /** `expect:` lines instead of `{ invariant: all }`, e.g. ['{ invariant: durability }']. */
  expect?: string[];
}

function resolveProfile(p: string | Profile | undefined): Profile {
  return typeof p === 'object' ? p : profileNamed(p ?? 'quick');
}

/** Generated fuzz cases (the data behind scenarioArb), for properties about the generator itself. */
export function fuzzCaseArb(opts: ScenarioArbOptions = {}): fc.Arbitrary<FuzzCase> {
  return caseArb(resolveProfile(opts.profile));
}

/** Generated scenarios: topology, redis.conf, network, data, load and a fault schedule with its repairs. */
export function scenarioArb(opts: ScenarioArbOptions = {}): fc.Arbitrary<Scenario> {
  const text: CaseTextOptions = opts.expect ? { expect: opts.expect } : {};
  return fuzzCaseArb(opts).map((c) => caseScenario(c, text));
}
