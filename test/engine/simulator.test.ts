import { describe, expect, it } from 'vitest';
import { SimulationAssertion, Simulator, simAssert } from '../../sim/engine/simulator.js';

describe('Simulator scheduling', () => {
  it('runs events in (time, insertion) order and advances now', () => {
    const sim = new Simulator({ seed: 's' });
    const log: string[] = [];
    const note = (x: string): void => void log.push(`${sim.now}:${x}`);
    sim.at(10, note, 'c');
    sim.at(5, note, 'a');
    sim.at(10, note, 'd');
    sim.after(5, note, 'b');
    const res = sim.run();
    expect(log).toEqual(['5:a', '5:b', '10:c', '10:d']);
    expect(res).toEqual({ reason: 'idle', events: 4, now: 10 });
    expect(sim.eventsProcessed).toBe(4);
  });

  it('an event scheduled for now from a handler runs after the events already due now', () => {
    const sim = new Simulator({ seed: 's' });
    const log: string[] = [];
    sim.at(1, () => {
      log.push('first');
      sim.after(0, () => log.push('spawned'));
    });
    sim.at(1, () => log.push('second'));
    sim.run();
    expect(log).toEqual(['first', 'second', 'spawned']);
  });

  it('cancel prevents the event; a second cancel or a cancel after running is false', () => {
    const sim = new Simulator({ seed: 's' });
    const log: number[] = [];
    const a = sim.at(1, () => log.push(1));
    const b = sim.at(2, () => log.push(2));
    expect(sim.pending()).toBe(2);
    expect(sim.cancel(b)).toBe(true);
    expect(sim.cancel(b)).toBe(false);
    expect(sim.pending()).toBe(1);
    sim.run();
    expect(log).toEqual([1]);
    expect(sim.cancel(a)).toBe(false);
  });

  it('a handler can cancel a later event scheduled for the same time', () => {
    const sim = new Simulator({ seed: 's' });
    const log: string[] = [];
    let victim = -1;
    sim.at(3, () => sim.cancel(victim));
    victim = sim.at(3, () => log.push('victim'));
    sim.run();
    expect(log).toEqual([]);
  });

  it('rejects times in the past, non-integers, NaN and negative delays with the seed and time', () => {
    const sim = new Simulator({ seed: 'my-seed' });
    sim.at(100, () => {});
    sim.run();
    const bad = [
      () => sim.at(99, () => {}),
      () => sim.at(100.5, () => {}),
      () => sim.at(NaN, () => {}),
      () => sim.at(Infinity, () => {}),
      () => sim.after(-1, () => {}),
      () => sim.after(0.5, () => {}),
      () => sim.after(NaN, () => {}),
    ];
    for (const f of bad) {
      expect(f).toThrow(SimulationAssertion);
      expect(f).toThrow(/my-seed/);
      expect(f).toThrow(/100us/);
    }
    expect(sim.at(100, () => {})).toBeGreaterThanOrEqual(0); // now itself is allowed
  });
});

describe('Simulator.run', () => {
  it('until: processes events at exactly until, leaves later ones, and sets now = until', () => {
    const sim = new Simulator({ seed: 's' });
    const log: number[] = [];
    for (const t of [5, 10, 11]) sim.at(t, () => log.push(t));
    expect(sim.run({ until: 10 })).toEqual({ reason: 'until', events: 2, now: 10 });
    expect(log).toEqual([5, 10]);
    expect(sim.pending()).toBe(1);
    expect(sim.run({ until: 50 })).toEqual({ reason: 'until', events: 1, now: 50 });
    expect(sim.now).toBe(50);
    expect(sim.run({ until: 60 })).toEqual({ reason: 'until', events: 0, now: 60 });
    expect(() => sim.run({ until: 59 })).toThrow(SimulationAssertion);
  });

  it('maxEvents stops after that many events', () => {
    const sim = new Simulator({ seed: 's' });
    const tick = (): void => void sim.after(1, tick);
    sim.at(0, tick);
    expect(sim.run({ maxEvents: 10 })).toEqual({ reason: 'maxEvents', events: 10, now: 9 });
    expect(sim.run({ maxEvents: 5 }).events).toBe(5);
    expect(sim.eventsProcessed).toBe(15);
  });

  it('stop() ends the run after the current event and keeps now at that event', () => {
    const sim = new Simulator({ seed: 's' });
    const log: number[] = [];
    sim.at(1, () => log.push(1));
    sim.at(2, () => {
      log.push(2);
      sim.stop();
    });
    sim.at(2, () => log.push(3));
    expect(sim.run({ until: 100 })).toEqual({ reason: 'stopped', events: 2, now: 2 });
    expect(log).toEqual([1, 2]);
    // A later run continues where it stopped; a stale stop() does not carry over.
    sim.stop();
    expect(sim.run()).toEqual({ reason: 'idle', events: 1, now: 2 });
  });

  it('run() inside a handler is an assertion', () => {
    const sim = new Simulator({ seed: 's' });
    sim.at(1, () => sim.run());
    expect(() => sim.run()).toThrow(/inside an event handler/);
    // The simulator is usable after a handler threw.
    sim.at(2, () => {});
    expect(sim.run().reason).toBe('idle');
  });
});

declare module '../../sim/engine/trace.js' {
  interface TraceKinds {
    'x.happened': { n: number };
    'y': {};
  }
}

describe('Simulator.record and simAssert', () => {
  it('record stamps the current time and node', () => {
    const sim = new Simulator({ seed: 's', traceRetention: 'all' });
    sim.at(7, () => sim.record('x.happened', 'n1', { n: 3 }));
    sim.run();
    sim.record('y', undefined);
    expect(sim.trace.records()).toEqual([
      { t: 7, node: 'n1', kind: 'x.happened', n: 3 },
      { t: 7, node: undefined, kind: 'y' },
    ]);
  });

  it('simAssert throws with seed and virtual time, and is silent when the condition holds', () => {
    const sim = new Simulator({ seed: 'abc' });
    sim.at(1_500_000, () => simAssert(false, sim, 'offset went backwards'));
    expect(() => sim.run()).toThrow(/offset went backwards.*seed="abc".*1\.500000s/);
    expect(() => simAssert(true, sim, () => 'never built')).not.toThrow();
    try {
      simAssert(0, sim, 'x');
    } catch (e) {
      expect(e).toBeInstanceOf(SimulationAssertion);
      expect((e as SimulationAssertion).seed).toBe('abc');
      expect((e as SimulationAssertion).timeUs).toBe(1_500_000);
    }
  });
});
