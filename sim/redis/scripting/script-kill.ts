/**
 * scriptKill (script.c): SCRIPT KILL and FUNCTION KILL. A script is killable only while it
 * runs past busy-reply-threshold (before that no other command is processed), only if it
 * wrote nothing, and only by the command of its kind: SCRIPT KILL for EVAL, FUNCTION KILL
 * for FCALL, each answering the other kind with the -BUSY text that names the right one.
 */
import { err, ok, type Reply } from '../protocol/reply.js';
import type { ScriptingEngine } from './scripting-engine.js';

/** shared.slowevalerr: a busy EVAL. */
export const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
/** shared.slowscripterr: a busy FCALL. */
export const BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

export function scriptKill(engine: ScriptingEngine, isEval: boolean): Reply {
  const running = engine.running;
  if (running === null || !running.timedOut) return err('NOTBUSY No scripts in execution right now.');
  if (running.run.writeDirty) {
    return err('UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
  }
  if (isEval && !running.evalMode) return err(BUSY_FUNCTION);
  if (!isEval && running.evalMode) return err(BUSY_EVAL);
  running.killed = true;
  return ok();
}
