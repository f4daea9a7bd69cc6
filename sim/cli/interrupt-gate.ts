/**
 * Ctrl-C (SIGINT) and SIGTERM for the real process, listened for from the moment main.ts
 * starts — before the command's modules load (a command and the model behind it take
 * ≈ 0.5–1 s of CPU to load). A signal that comes while nothing listens yet is held:
 * the command gets it as soon as it calls onInterrupt, so a fuzz campaign stopped while it
 * loads still writes its (empty) summary, as one stopped later does. A signal the command
 * does not take — it had not registered by the end of its synchronous start, has
 * unregistered, or never listens — ends the process the way it would without a listener:
 * the listeners are removed and the signal raised again (exit by signal, 130/143 in a shell).
 */
import type { InterruptSignal } from './io.js';

/** The parts of `process` the gate uses (tests pass a fake). */
export interface SignalProcess {
  readonly pid: number;
  on(signal: InterruptSignal, listener: () => void): unknown;
  off(signal: InterruptSignal, listener: () => void): unknown;
  kill(pid: number, signal: InterruptSignal): unknown;
}

export interface InterruptGate {
  /** CliIO.onInterrupt: a handler for the signals from now on (and a held one); returns its removal. */
  onInterrupt(handler: (signal?: InterruptSignal) => void): () => void;
  /** CliIO.commandStarted: the command has begun; a signal still held now ends the process. */
  commandStarted(): void;
}

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

export function interruptGate(proc: SignalProcess): InterruptGate {
  let handler: ((signal?: InterruptSignal) => void) | undefined;
  let held: InterruptSignal | undefined;
  let started = false;
  const listeners = new Map<InterruptSignal, () => void>();
  /** What the process would have done with no listener: end by the signal. */
  const defaultAction = (signal: InterruptSignal): void => {
    for (const [s, l] of listeners) proc.off(s, l);
    listeners.clear();
    proc.kill(proc.pid, signal);
  };
  for (const s of SIGNALS) {
    const listener = (): void => {
      if (handler) handler(s);
      else if (!started) held ??= s;
      else defaultAction(s);
    };
    listeners.set(s, listener);
    proc.on(s, listener);
  }
  return {
    onInterrupt(h) {
      handler = h;
      if (held !== undefined) {
        const s = held;
        held = undefined;
        // On the next turn: the command finishes registering (and starting its work) first.
        setImmediate(() => {
          if (handler === h) h(s);
          else defaultAction(s);
        });
      }
      return () => {
        if (handler === h) handler = undefined;
      };
    },
    commandStarted() {
      started = true;
      if (held !== undefined && !handler) defaultAction(held);
    },
  };
}
