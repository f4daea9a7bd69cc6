/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (eval.c at 7.0.15). Scripts are cached
 * by the SHA1 of their body; a script is replicated by its effects only: the commands it
 * runs append their own (rewritten) ops to the caller's unit, so a script that writes
 * nothing propagates nothing, and SCRIPT LOAD never reaches a replica.
 */
import { err, int, array, bulk, ok, ERR_NOT_INTEGER, type Reply } from '../protocol/reply.js';
import { sha1, toHex } from '../protocol/sha1.js';
import { string2ll } from '../protocol/number-parse.js';
import { ServerCommandError, type ExecContext } from '../commands/exec-context.js';
import { luaString } from './lua-vm.js';
import type { ScriptFlags, ScriptingEngine } from './scripting-engine.js';
import type { ScriptingHost } from './script-host.js';
import { callScript, ScriptRunContext } from './script-run.js';
import { scriptKill } from './script-kill.js';
import { checkArity, lookupCommandByArgv, unknownCommandError } from '../commands/command-table.js';

const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';

const COMPAT_FLAGS: ScriptFlags = Object.freeze({ compat: true, noWrites: false, allowOom: false, allowStale: false, noCluster: false, allowCrossSlot: false });

/** scripts_flags_def (script.c). */
const FLAG_NAMES: Record<string, keyof ScriptFlags> = {
  'no-writes': 'noWrites',
  'allow-oom': 'allowOom',
  'allow-stale': 'allowStale',
  'no-cluster': 'noCluster',
  'allow-cross-slot-keys': 'allowCrossSlot',
};

/** evalExtractShebangFlags: the flags and the shebang's length, or an error text. */
export function extractShebangFlags(body: string): { flags: ScriptFlags; shebangLength: number } | { error: string } {
  if (!body.startsWith('#!')) return { flags: COMPAT_FLAGS, shebangLength: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return { error: 'Invalid script shebang' };
  const parts = body.slice(0, end).split(/[ \t\r\v\f]+/).filter((p) => p !== '');
  if (parts.length === 0) return { error: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { error: `Unexpected engine in script shebang: ${parts[0]}` };
  const flags: { -readonly [K in keyof ScriptFlags]: boolean } = { ...COMPAT_FLAGS, compat: false };
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return { error: `Unknown lua shebang option: ${part}` };
    for (const name of part.slice(6).split(',')) {
      const key = FLAG_NAMES[name];
      if (key === undefined) return { error: `Unexpected flag in script shebang: ${name}` };
      flags[key] = true;
    }
  }
  return { flags, shebangLength: end };
}

function sha1hex(s: string): string {
  return toHex(sha1(luaString(s)));
}

/** luaCreateFunction: the script's SHA1, or the error reply. */
export function createScript(engine: ScriptingEngine, body: string): string | Reply {
  const sha = sha1hex(body);
  if (engine.scripts.has(sha)) return sha;
  const shebang = extractShebangFlags(body);
  if ('error' in shebang) return err(`ERR ${shebang.error}`);
  // The shebang line is skipped but its newline kept, so line numbers stay the user's.
  const compileError = engine.vm.compile(`f_${sha}`, body.slice(shebang.shebangLength), '@user_script');
  if (compileError !== null) return err(`ERR Error compiling script (new function): ${compileError}`);
  engine.scripts.set(sha, { body, flags: shebang.flags });
  return sha;
}

function hostOf(ctx: ExecContext, name: string): ScriptingHost {
  if (ctx.scripting === undefined) throw new ServerCommandError(name);
  return ctx.scripting;
}

/**
 * evalGetCommandFlags: the flags processCommand gates a script command with. A script
 * with a shebang declares them (scriptFlagsToCmdFlags); without one, or unknown to the
 * cache for EVALSHA, the command's own flags stand.
 */
export function evalDeclaredFlags(engine: ScriptingEngine, argv: readonly string[], evalsha: boolean): ScriptFlags | null {
  const first = argv[1] ?? '';
  if (evalsha && first.length !== 40) return null;
  const script = engine.scripts.get(evalsha ? first.toLowerCase() : sha1hex(first));
  let flags: ScriptFlags;
  if (script !== undefined) flags = script.flags;
  else {
    if (evalsha) return null;
    const shebang = extractShebangFlags(first);
    if ('error' in shebang) return null;
    flags = shebang.flags;
  }
  return flags.compat ? null : flags;
}

/** scriptPrepareForRun's refusals, in 7.0.15's order; null when the script may run. */
export function prepareForRun(ctx: ExecContext, host: ScriptingHost, flags: ScriptFlags, ro: boolean): Reply | null {
  const stale = host.staleReplica();
  const obey = ctx.fromMaster;
  if (flags.compat) {
    return stale ? err("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.") : null;
  }
  if (stale && !flags.allowStale) {
    return err("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.");
  }
  if (!flags.noWrites) {
    if (host.readOnlyReplica() && !obey) return err('READONLY Can not run script with write flag on readonly replica');
    if (host.diskError() !== null && !obey) {
      return err("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
    }
    if (ro) return err('ERR Can not execute a script with write flag using *_ro command.');
    if (host.notEnoughGoodReplicas()) return err('NOREPLICAS Not enough good replicas to write.');
  }
  if (host.oom() && !flags.allowOom && !flags.noWrites) {
    return err("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
  }
  return null;
}

function evalGeneric(ctx: ExecContext, argv: string[], evalsha: boolean, ro: boolean): Reply {
  const host = hostOf(ctx, argv[0]!);
  const engine = host.engine;
  if (evalsha && argv[1]!.length !== 40) return err(NOSCRIPT);
  const numkeys = string2ll(argv[2]!);
  if (numkeys === null) return ERR_NOT_INTEGER;
  if (numkeys > argv.length - 3) return err("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) return err("ERR Number of keys can't be negative");
  let sha: string;
  if (evalsha) {
    sha = argv[1]!.toLowerCase();
    if (!engine.scripts.has(sha)) return err(NOSCRIPT);
  } else {
    const created = createScript(engine, argv[1]!);
    if (typeof created !== 'string') return created;
    sha = created;
  }
  const script = engine.scripts.get(sha)!;
  const refused = prepareForRun(ctx, host, script.flags, ro);
  if (refused !== null) return refused;
  const n = Number(numkeys);
  const run = new ScriptRunContext(ctx, host, {
    readOnly: ro || (!script.flags.compat && script.flags.noWrites),
    allowOom: !script.flags.compat && script.flags.allowOom,
  });
  return callScript(ctx, host, run, { vm: engine.vm, funcname: `f_${sha}`, name: sha, keys: argv.slice(3, 3 + n), args: argv.slice(3 + n), evalMode: true, argv });
}

export function evalCommand(ctx: ExecContext, argv: string[]): Reply {
  return evalGeneric(ctx, argv, false, false);
}
export function evalRoCommand(ctx: ExecContext, argv: string[]): Reply {
  return evalGeneric(ctx, argv, false, true);
}
export function evalShaCommand(ctx: ExecContext, argv: string[]): Reply {
  return evalGeneric(ctx, argv, true, false);
}
export function evalShaRoCommand(ctx: ExecContext, argv: string[]): Reply {
  return evalGeneric(ctx, argv, true, true);
}

/** SCRIPT FLUSH | EXISTS | LOAD | KILL | HELP (DEBUG: the debugger is not modelled). */
export function scriptCommand(ctx: ExecContext, argv: string[]): Reply {
  const host = hostOf(ctx, 'script');
  const engine = host.engine;
  const sub = argv[1]!.toLowerCase();
  const subSpec = lookupCommandByArgv(argv);
  if (subSpec === undefined) return unknownCommandError(argv);
  const arity = checkArity(subSpec, argv.length);
  if (arity !== null) return arity;
  if (sub === 'help') return array(SCRIPT_HELP.map((l) => ({ type: 'status', text: l })));
  if (sub === 'flush') {
    const mode = argv.length === 3 ? argv[2]!.toLowerCase() : null;
    if (argv.length > 3 || (mode !== null && mode !== 'sync' && mode !== 'async')) return err('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    engine.flush();
    return ok();
  }
  if (sub === 'exists') return array(argv.slice(2).map((sha) => int(engine.scripts.has(sha.toLowerCase()) ? 1 : 0)));
  if (sub === 'load') {
    const created = createScript(engine, argv[2]!);
    return typeof created === 'string' ? bulk(created) : created;
  }
  if (sub === 'kill') return scriptKill(engine, true);
  return err('ERR SCRIPT DEBUG is not supported by replsim');
}

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];
