/**
 * FUNCTION LOAD | DELETE | FLUSH | LIST | STATS | KILL and FCALL / FCALL_RO (functions.c at
 * 7.0.15). FUNCTION LOAD, DELETE and FLUSH are writes propagated as they were sent, so a
 * replica (and the AOF) run them too — without a scripting host there (the stream
 * applier, the AOF's replay) a library is stored without being compiled: it compiled on the
 * master. FCALL propagates its effects, as EVAL does.
 */
import { array, bulk, err, int, nil, ok, status, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { stringMatch } from '../protocol/glob.js';
import { propagate, type ExecContext } from '../commands/exec-context.js';
import { checkArity, lookupCommandByArgv, unknownCommandError } from '../commands/command-table.js';
import { FLAG_DEFS, validFunctionName } from './function-engine.js';
import { prepareForRun } from './eval.js';
import { callScript, ScriptRunContext } from './script-run.js';
import { BUSY_EVAL, scriptKill } from './script-kill.js';

const BAD_LIBRARY_NAME = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

/** functionExtractLibMetaData: engine, name, and the code after the shebang (its newline kept). */
function libraryMetadata(code: string): { engine: string; name: string; body: string } | string {
  if (!code.startsWith('#!')) return 'Missing library metadata';
  const end = code.indexOf('\n');
  if (end < 0) return 'Invalid library metadata';
  const parts = code.slice(0, end).split(/[ \t\r\v\f]+/).filter((p) => p !== '');
  if (parts.length === 0) return 'Invalid library metadata';
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return 'Invalid metadata value, name argument was given multiple times';
      name = part.slice(5);
      continue;
    }
    return `Invalid metadata value given: ${part}`;
  }
  if (name === null) return 'Library name was not given';
  return { engine: parts[0]!.slice(2), name, body: code.slice(end) };
}

function functionLoad(ctx: ExecContext, argv: string[]): Reply {
  let replace = false;
  let pos = 2;
  while (pos < argv.length - 1) {
    const opt = argv[pos++]!;
    if (opt.toLowerCase() === 'replace') replace = true;
    else return err(`ERR Unknown option given: ${opt}`);
  }
  if (pos >= argv.length) return err('ERR Function code is missing');
  const code = argv[pos]!;
  const md = libraryMetadata(code);
  if (typeof md === 'string') return err(`ERR ${md}`);
  if (!validFunctionName(md.name)) return err(`ERR ${BAD_LIBRARY_NAME}`);
  if (md.engine.toLowerCase() !== 'lua') return err(`ERR Engine '${md.engine}' not found`);
  const ks = ctx.keyspace;
  if (ks.functions.has(md.name) && !replace) return err(`ERR Library '${md.name}' already exists`);
  const next = new Map(ks.functions);
  next.set(md.name, code);
  const host = ctx.scripting;
  if (host !== undefined) {
    const engine = host.engine;
    engine.syncFunctions(ks.functions);
    const lib = engine.functions.create(md.name, code, md.body);
    if (typeof lib === 'string') return err(`ERR ${lib}`);
    const fail = (text: string): Reply => {
      engine.functions.dropFunctions(lib);
      return err(`ERR ${text}`);
    };
    if (lib.functions.length === 0) return fail('No functions registered');
    for (const f of lib.functions) {
      const owner = engine.functionsByName.get(f.name);
      if (owner !== undefined && owner.library !== md.name) return fail(`Function ${f.name} already exists`);
    }
    engine.dropLibrary(md.name);
    engine.adoptLibrary(lib);
    engine.markCompiled(next);
  }
  ks.functions = next;
  propagate(ctx, argv);
  return bulk(md.name);
}

function functionList(ctx: ExecContext, argv: string[]): Reply {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (!withCode && a === 'withcode') withCode = true;
    else if (pattern === null && a === 'libraryname') {
      if (i >= argv.length - 1) return err('ERR library name argument was not given');
      pattern = argv[++i]!;
    } else return err(`ERR Unknown argument ${argv[i]}`);
  }
  const engine = ctx.scripting!.engine;
  engine.syncFunctions(ctx.keyspace.functions);
  const out: Reply[] = [];
  for (const lib of engine.loadedLibraries.values()) {
    if (pattern !== null && !stringMatch(pattern, lib.name, true)) continue;
    const functions = lib.functions.map((f) =>
      array([
        bulk('name'), bulk(f.name),
        bulk('description'), f.description === null ? nil() : bulk(f.description),
        bulk('flags'), array(FLAG_DEFS.filter(([, k]) => f.flags[k]).map(([text]) => status(text))),
      ]),
    );
    const fields: Reply[] = [bulk('library_name'), bulk(lib.name), bulk('engine'), bulk('LUA'), bulk('functions'), array(functions)];
    if (withCode) fields.push(bulk('library_code'), bulk(lib.code));
    out.push(array(fields));
  }
  return array(out);
}

export function functionCommand(ctx: ExecContext, argv: string[]): Reply {
  const spec = lookupCommandByArgv(argv);
  if (spec === undefined) return unknownCommandError(argv);
  const arity = checkArity(spec, argv.length);
  if (arity !== null) return arity;
  const ks = ctx.keyspace;
  switch (spec.name) {
    case 'load':
      return functionLoad(ctx, argv);
    case 'delete': {
      if (!ks.functions.has(argv[2]!)) return err('ERR Library not found');
      const next = new Map(ks.functions);
      next.delete(argv[2]!);
      if (ctx.scripting !== undefined) {
        ctx.scripting.engine.syncFunctions(ks.functions);
        ctx.scripting.engine.dropLibrary(argv[2]!);
        ctx.scripting.engine.markCompiled(next);
      }
      ks.functions = next;
      propagate(ctx, argv);
      return ok();
    }
    case 'flush': {
      if (argv.length > 3) return err("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
      const mode = argv.length === 3 ? argv[2]!.toLowerCase() : null;
      if (mode !== null && mode !== 'sync' && mode !== 'async') return err('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
      ks.functions = new Map();
      propagate(ctx, argv);
      return ok();
    }
    case 'list':
      if (ctx.scripting === undefined) break;
      return functionList(ctx, argv);
    case 'stats': {
      if (ctx.scripting === undefined) break;
      const engine = ctx.scripting.engine;
      engine.syncFunctions(ks.functions);
      // functionStatsCommand: a busy EVAL is not described but refused.
      if (engine.running?.evalMode === true) return err(BUSY_EVAL);
      return array([bulk('running_script'), runningScript(ctx), bulk('engines'), array([bulk('LUA'), array([bulk('libraries_count'), int(engine.loadedLibraries.size), bulk('functions_count'), int(engine.functionsByName.size)])])]);
    }
    case 'kill':
      if (ctx.scripting === undefined) break;
      return scriptKill(ctx.scripting.engine, false);
  }
  return err(`ERR FUNCTION ${spec.name.toUpperCase()} is not modelled by replsim`);
}

function fcallGeneric(ctx: ExecContext, argv: string[], ro: boolean): Reply {
  const host = ctx.scripting;
  if (host === undefined) return err('ERR FCALL needs a scripting host');
  const engine = host.engine;
  engine.syncFunctions(ctx.keyspace.functions);
  const f = engine.functionsByName.get(argv[1]!);
  if (f === undefined) return err('ERR Function not found');
  const numkeys = string2ll(argv[2]!);
  if (numkeys === null) return err('ERR Bad number of keys provided');
  if (numkeys > argv.length - 3) return err("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) return err("ERR Number of keys can't be negative");
  const refused = prepareForRun(ctx, host, f.flags, ro);
  if (refused !== null) return refused;
  const n = Number(numkeys);
  const run = new ScriptRunContext(ctx, host, { readOnly: ro || f.flags.noWrites, allowOom: f.flags.allowOom });
  return callScript(ctx, host, run, { vm: engine.functions.vm, funcname: f.registryKey, name: f.name, keys: argv.slice(3, 3 + n), args: argv.slice(3 + n), evalMode: false, argv });
}

export function fcallCommand(ctx: ExecContext, argv: string[]): Reply {
  return fcallGeneric(ctx, argv, false);
}
export function fcallRoCommand(ctx: ExecContext, argv: string[]): Reply {
  return fcallGeneric(ctx, argv, true);
}

/**
 * functionStatsCommand's running_script: the function running past busy-reply-threshold
 * (its name, the FCALL that runs it, how long it has run), nil when none.
 */
function runningScript(ctx: ExecContext): Reply {
  const running = ctx.scripting?.engine.running ?? null;
  if (running === null) return nil();
  return array([bulk('name'), bulk(running.name), bulk('command'), array(running.argv.map((a) => bulk(a))), bulk('duration_ms'), int(Math.floor(running.elapsedUs() / 1000))]);
}
