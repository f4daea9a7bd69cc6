/**
 * XINFO STREAM [FULL [COUNT n]] | GROUPS | CONSUMERS | HELP (t_stream.c xinfoCommand /
 * xinfoReplyWithStreamInfo at 7.0.15). Maps are flat arrays (RESP2). Times are the
 * node's own: idle = now - seen-time, and FULL shows raw delivery and seen times (unix ms),
 * which differ between a master and its replicas by their clock skew.
 */
import { array, bulk, err, int, nil, status, ERR_NOT_INTEGER, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { type ExecContext, lookupRead } from './exec-context.js';
import { checkArity, lookupCommandByArgv, unknownCommandError } from './command-table.js';
import { StreamValue } from '../data/value-stream.js';
import { idText } from '../data/stream-id.js';
import { SCG_INVALID_ENTRIES_READ, sortedNames, type StreamCG } from '../data/stream-cg.js';
import { groupLag } from '../data/stream-lag.js';
import { raxNodeCount } from '../data/stream-rax.js';
import { entryReply } from './commands-stream.js';
import { subcommandSyntaxError } from './commands-stream-groups.js';

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

function map(pairs: Array<[string, Reply]>): Reply {
  return array(pairs.flatMap(([k, v]) => [bulk(k), v]));
}

function entriesRead(cg: StreamCG): Reply {
  return cg.entriesRead === SCG_INVALID_ENTRIES_READ ? nil() : int(cg.entriesRead);
}

function lag(s: StreamValue, cg: StreamCG): Reply {
  const n = groupLag(s, cg);
  return n === null ? nil() : int(n);
}

export function xinfoCommand(ctx: ExecContext, argv: string[]): Reply {
  const spec = lookupCommandByArgv(argv);
  if (spec === undefined) return unknownCommandError(argv);
  const arity = checkArity(spec, argv.length);
  if (arity !== null) return arity;
  if (spec.name === 'help') return array(XINFO_HELP.map((l) => status(l)));
  const v = lookupRead(ctx, argv[2]!);
  if (v === undefined) return err('ERR no such key');
  if (!(v instanceof StreamValue)) return ERR_WRONGTYPE;
  if (spec.name === 'consumers') {
    const cg = v.cgroups?.get(argv[3]!);
    if (cg === undefined) return err(`NOGROUP No such consumer group '${argv[3]}' for key name '${argv[2]}'`);
    return array(
      sortedNames(cg.consumers.keys()).map((name) => {
        const c = cg.consumers.get(name)!;
        return map([['name', bulk(name)], ['pending', int(c.pel.size)], ['idle', int(Math.max(0, ctx.nowMs - c.seenTime))]]);
      }),
    );
  }
  if (spec.name === 'groups') {
    return array(
      sortedNames(v.cgroups?.keys() ?? []).map((name) => {
        const cg = v.cgroups!.get(name)!;
        return map([
          ['name', bulk(name)],
          ['consumers', int(cg.consumers.size)],
          ['pending', int(cg.pel.size)],
          ['last-delivered-id', bulk(idText(cg.lastId))],
          ['entries-read', entriesRead(cg)],
          ['lag', lag(v, cg)],
        ]);
      }),
    );
  }
  return streamInfo(argv, v);
}

/** xinfoReplyWithStreamInfo. */
function streamInfo(argv: string[], s: StreamValue): Reply {
  const optc = argv.length - 3;
  let count = 10;
  if (optc !== 0) {
    if ((optc !== 1 && optc !== 3) || argv[3]!.toLowerCase() !== 'full') return subcommandSyntaxError(argv);
    if (optc === 3) {
      if (argv[4]!.toLowerCase() !== 'count') return subcommandSyntaxError(argv);
      const n = string2ll(argv[5]!);
      if (n === null) return ERR_NOT_INTEGER;
      count = n < 0n ? 10 : Number(n);
    }
  }
  const head: Array<[string, Reply]> = [
    ['length', int(s.length)],
    ['radix-tree-keys', int(s.nodes.length)],
    ['radix-tree-nodes', int(raxNodeCount(s.nodes.map((n) => n.masterId)))],
    ['last-generated-id', bulk(idText(s.lastId))],
    ['max-deleted-entry-id', bulk(idText(s.maxDeletedId))],
    ['entries-added', int(s.entriesAdded)],
    ['recorded-first-entry-id', bulk(idText(s.firstId))],
  ];
  if (optc === 0) {
    const first = s.entries[0];
    const last = s.entries[s.entries.length - 1];
    return map([...head, ['groups', int(s.cgroups?.size ?? 0)], ['first-entry', first ? entryReply(first) : nil()], ['last-entry', last ? entryReply(last) : nil()]]);
  }
  const limit = <T,>(xs: readonly T[]): readonly T[] => (count === 0 ? xs : xs.slice(0, count));
  const groups = sortedNames(s.cgroups?.keys() ?? []).map((name) => {
    const cg = s.cgroups!.get(name)!;
    const pending = limit(cg.pel.ids).map((id, i) => {
      const nack = cg.pel.nacks[i]!;
      return array([bulk(idText(id)), bulk(nack.consumer!.name), int(nack.deliveryTime), int(nack.deliveryCount)]);
    });
    const consumers = sortedNames(cg.consumers.keys()).map((cname) => {
      const c = cg.consumers.get(cname)!;
      const cpending = limit(c.pel.ids).map((id, i) => array([bulk(idText(id)), int(c.pel.nacks[i]!.deliveryTime), int(c.pel.nacks[i]!.deliveryCount)]));
      return map([['name', bulk(cname)], ['seen-time', int(c.seenTime)], ['pel-count', int(c.pel.size)], ['pending', array(cpending)]]);
    });
    return map([
      ['name', bulk(name)],
      ['last-delivered-id', bulk(idText(cg.lastId))],
      ['entries-read', entriesRead(cg)],
      ['lag', lag(s, cg)],
      ['pel-count', int(cg.pel.size)],
      ['pending', array(pending)],
      ['consumers', array(consumers)],
    ]);
  });
  return map([...head, ['entries', array(limit(s.entries).map(entryReply))], ['groups', array(groups)]]);
}
