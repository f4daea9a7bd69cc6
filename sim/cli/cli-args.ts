/**
 * node:util's parseArgs, with messages a user can act on: an unknown option gets a
 * did-you-mean (as unknown commands do), a missing value says which option needs one, and
 * a negative number after an option (`--runs -5`) is taken as its value — so the option's
 * own check can say "expects a whole number ≥ 0, got -5" instead of Node's "argument is
 * ambiguous". Commands import parseArgs from here instead of node:util.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../engine/index.js';

/** Thrown for a bad command line; the commands print it with usageError (exit 2). */
export class CliArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliArgsError';
  }
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

export function parseArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof nodeParseArgs<T>> {
  const options = config.options ?? {};
  const args = joinNegativeValues(config.args ?? [], options);
  try {
    return nodeParseArgs({ ...config, args } as T);
  } catch (e) {
    throw new CliArgsError(explain(e, options));
  }
}

/** `--runs -5` → `--runs=-5` for options that take a value. */
function joinNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const long = a.startsWith('--') && !a.includes('=') ? options[a.slice(2)] : undefined;
    if (long?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function explain(e: unknown, options: NonNullable<ParseArgsConfig['options']>): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  const names = Object.keys(options).map((n) => `--${n}`);
  const quoted = /'(-[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const given = quoted ?? message;
      const guess = didYouMean(given.split('=')[0]!, names);
      return `unknown option ${given}${guess !== undefined ? `; did you mean ${guess}?` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `${quoted ?? 'this option'} takes no value`;
      if (/ambiguous/.test(message)) return `${quoted ?? 'an option'} needs a value (to give one that starts with "-", write ${quoted ?? '--option'}=-…)`;
      return `${quoted ?? 'an option'} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim();
    default:
      return message.split('\n')[0]!;
  }
}
