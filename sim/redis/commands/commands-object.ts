/**
 * OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP (object.c objectCommand at 7.0.15).
 *
 * ENCODING follows what each value tracks: "int" for a string that is a canonical long,
 * "embstr" up to 44 bytes, "raw" beyond (Redis also answers "raw" for short strings that
 * SETRANGE or APPEND grew in place: not modelled); sets "intset" or "hashtable"; hashes
 * and sorted sets "listpack", "hashtable" or "skiplist"; lists "quicklist" (7.0 has no
 * listpack lists); streams "stream". REFCOUNT is 2147483647 for the shared integers
 * 0..9999 (OBJ_SHARED_REFCOUNT), 1 otherwise. The model keeps no LRU/LFU clock per key:
 * IDLETIME answers 0, and FREQ the error Redis gives without an LFU policy.
 */
import { array, bulk, err, int, nil, status, type Reply } from '../protocol/reply.js';
import { utf8ByteLength } from '../protocol/resp.js';
import { parseCanonicalInt, string2ll } from '../protocol/number-parse.js';
import { type ExecContext, lookupReadNoStats } from './exec-context.js';
import { checkArity, lookupCommandByArgv, unknownCommandError } from './command-table.js';
import { PopulatedValue, SetValue, isStringValue, stringText, type Value } from '../data/value.js';
import { HashValue } from '../data/value-hash.js';
import { ZSetValue } from '../data/value-zset.js';
import { StreamValue } from '../data/value-stream.js';

const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44;
const OBJ_SHARED_REFCOUNT = 2147483647;
const OBJ_SHARED_INTEGERS = 10000;

function encodingOf(key: string, v: Value): string {
  if (isStringValue(v)) {
    if (typeof v === 'number') return 'int';
    const text = v instanceof PopulatedValue ? stringText(v, key) : v;
    if (text.length <= 20 && string2ll(text) !== null) return 'int';
    return utf8ByteLength(text) <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }
  if (v instanceof SetValue) return v.isIntset ? 'intset' : 'hashtable';
  if (v instanceof HashValue) return v.isListpack ? 'listpack' : 'hashtable';
  if (v instanceof ZSetValue) return v.isListpack ? 'listpack' : 'skiplist';
  if (v instanceof StreamValue) return 'stream';
  return 'quicklist';
}

function isSharedInteger(key: string, v: Value): boolean {
  if (!isStringValue(v)) return false;
  const text = typeof v === 'number' ? String(v) : stringText(v, key);
  const n = parseCanonicalInt(text);
  return n !== null && n >= 0 && n < OBJ_SHARED_INTEGERS;
}

const HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

export function objectCommand(ctx: ExecContext, argv: string[]): Reply {
  const spec = lookupCommandByArgv(argv);
  if (spec === undefined) return unknownCommandError(argv);
  const arity = checkArity(spec, argv.length);
  if (arity !== null) return arity;
  if (spec.name === 'help') return array(HELP.map((l) => status(l)));
  const key = argv[2]!;
  const v = lookupReadNoStats(ctx, key);
  if (v === undefined) return nil();
  switch (spec.name) {
    case 'encoding':
      return bulk(encodingOf(key, v));
    case 'refcount':
      return int(isSharedInteger(key, v) ? OBJ_SHARED_REFCOUNT : 1);
    case 'idletime':
      return int(0);
    default:
      return err(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
  }
}
