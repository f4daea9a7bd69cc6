/**
 * getCommandFlags for script commands (evalGetCommandFlags, scriptFlagsToCmdFlags): a
 * script that declares flags in a shebang is gated by processCommand as a write
 * (-READONLY on a replica, -NOREPLICAS, -MISCONF) and deny-oom unless it says no-writes /
 * allow-oom, and may run on a stale replica only with allow-stale. Scripts without a
 * shebang keep EVAL's own flags and meet the write gates inside, per redis.call.
 */
import { lookupCommand, type CommandFlags, type CommandSpec } from '../commands/command-table.js';
import { evalDeclaredFlags } from './eval.js';
import type { ScriptFlags, ScriptingEngine } from './scripting-engine.js';

let evalSpecs: Map<CommandSpec, boolean | 'fcall'> | null = null;

/** Script command specs -> whether the first argument is a SHA1 (EVAL family) or 'fcall'. */
function scriptCommandSpecs(): Map<CommandSpec, boolean | 'fcall'> {
  if (evalSpecs === null) {
    evalSpecs = new Map();
    for (const [name, sha] of [['eval', false], ['eval_ro', false], ['evalsha', true], ['evalsha_ro', true], ['fcall', 'fcall'], ['fcall_ro', 'fcall']] as const) {
      const spec = lookupCommand(name);
      if (spec) evalSpecs.set(spec, sha);
    }
  }
  return evalSpecs;
}

export function scriptFlagsToCmdFlags(cmd: CommandFlags, script: ScriptFlags): CommandFlags {
  return {
    ...cmd,
    denyOom: !(script.allowOom || script.noWrites),
    write: !script.noWrites,
    stale: script.allowStale,
    mayReplicate: false,
  };
}

/**
 * The spec processCommand's gates should see for argv: `spec`, or a copy with the script's
 * flags. `functions` is the keyspace's library set (FCALL's function flags, fcallGetCommandFlags).
 */
export function gateSpecOfScriptCommand(engine: ScriptingEngine, spec: CommandSpec, argv: readonly string[], functions: ReadonlyMap<string, string>): CommandSpec {
  const evalsha = scriptCommandSpecs().get(spec);
  if (evalsha === undefined) return spec;
  if (evalsha === 'fcall') {
    engine.syncFunctions(functions);
    const f = engine.functionsByName.get(argv[1] ?? '');
    return f === undefined ? spec : { ...spec, flags: scriptFlagsToCmdFlags(spec.flags, f.flags) };
  }
  const declared = evalDeclaredFlags(engine, argv, evalsha);
  if (declared === null) return spec;
  return { ...spec, flags: scriptFlagsToCmdFlags(spec.flags, declared) };
}
