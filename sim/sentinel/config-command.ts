/**
 * SENTINEL CONFIG GET | SET (sentinelConfigGetCommand, sentinelConfigSetCommand): the six
 * global options of sentinelState — resolve-hostnames, announce-hostnames, announce-ip,
 * announce-port, sentinel-user, sentinel-pass.
 *
 * What a change does in the model: announce-ip/-port go into the next hellos (hello.ts), so
 * the other Sentinels see this one move (+sentinel-address-switch); sentinel-user/-pass are
 * the AUTH of the links to other Sentinels, which are dropped so they reconnect with it
 * (sentinelDropConnections); the two hostname options are stored, shown and persisted only
 * (SentinelGlobals in sentinel.ts says why). Every accepted SET flushes the config file.
 */
import { array, bulk, err, ok, stringMatch, type Reply } from '../redis/protocol/index.js';
import { yesNo } from './config.js';
import type { SentinelGlobals, SentinelProcess } from './sentinel.js';

/** SENTINEL CONFIG <GET option-pattern | SET option value>; arity (≥ 3 words) is checked before. */
export function sentinelConfigCommand(s: SentinelProcess, argv: readonly string[]): Reply {
  const op = argv[2]!.toLowerCase();
  if (op === 'set' && argv.length === 5) return sentinelConfigSet(s, argv[3]!, argv[4]!);
  if (op === 'get' && argv.length === 4) return sentinelConfigGet(s.globals, argv[3]!);
  return err('ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.');
}

/**
 * Each option whose name matches the glob (case-insensitive), in sentinel.c's fixed order,
 * as name/value pairs (a map in RESP3, a flat array in RESP2); unset strings are "".
 */
function sentinelConfigGet(g: SentinelGlobals, pattern: string): Reply {
  const all: Array<[string, string]> = [
    ['resolve-hostnames', g.resolveHostnames ? 'yes' : 'no'],
    ['announce-hostnames', g.announceHostnames ? 'yes' : 'no'],
    ['announce-ip', g.announceIp ?? ''],
    ['announce-port', String(g.announcePort)],
    ['sentinel-user', g.sentinelUser ?? ''],
    ['sentinel-pass', g.sentinelPass ?? ''],
  ];
  const items: Reply[] = [];
  for (const [name, value] of all) if (stringMatch(pattern, name, true)) items.push(bulk(name), bulk(value));
  return array(items);
}

function sentinelConfigSet(s: SentinelProcess, option: string, value: string): Reply {
  const g = s.globals;
  const badValue = (): Reply => err(`ERR Invalid value '${value}' to SENTINEL CONFIG SET '${option}'`);
  let dropConns = false;
  switch (option.toLowerCase()) {
    case 'resolve-hostnames':
    case 'announce-hostnames': {
      const yes = yesNo(value);
      if (yes === null) return badValue();
      if (option.toLowerCase() === 'resolve-hostnames') g.resolveHostnames = yes;
      else g.announceHostnames = yes;
      break;
    }
    case 'announce-ip':
      // Kept as given, even "": hellos then carry an empty ip (the file loader would skip it).
      g.announceIp = value;
      break;
    case 'announce-port': {
      // getLongLongFromObject: an optional sign and digits, no spaces.
      const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < 0 || n > 65535) return badValue();
      g.announcePort = n;
      break;
    }
    case 'sentinel-user':
      g.sentinelUser = value === '' ? null : value;
      dropConns = true;
      break;
    case 'sentinel-pass':
      g.sentinelPass = value === '' ? null : value;
      dropConns = true;
      break;
    default:
      return err(`ERR Invalid argument '${option}' to SENTINEL CONFIG SET`);
  }
  // sentinelFlushConfigAndReply, then the drop: the reply is +OK even for the drop.
  s.flushConfig();
  if (dropConns) sentinelDropConnections(s);
  return ok();
}

/** sentinelDropConnections: every connected link to another Sentinel is closed, to reconnect with the new AUTH. */
function sentinelDropConnections(s: SentinelProcess): void {
  for (const m of s.masters.values()) {
    for (const si of m.sentinels.values()) if (!si.link.disconnected) si.link.release();
  }
}
