/**
 * The SENTINEL container command as the command table of 7.0.15 declares it
 * (SENTINEL_Subcommands in commands.c): each subcommand's arity, checked by processCommand
 * before sentinelCommand runs, and the text of SENTINEL HELP (the help[] array of
 * sentinelCommand, framed by addReplyHelp).
 *
 * The order of the checks is processCommand's: no subcommand at all is an arity error of
 * `sentinel` itself (arity -2); an unknown name is "unknown subcommand"; a known one with
 * the wrong count is an arity error naming `sentinel|<sub>`. Only then does
 * sentinelCommand look at the arguments (so `SENTINEL CONFIG GET` passes arity -3 and gets
 * sentinelCommand's own "Only SENTINEL CONFIG GET …" error).
 */
import { array, err, status, type Reply } from '../redis/protocol/index.js';

/** Arity per subcommand: n = exactly n words, -n = at least n (argv[0] counted). */
const SENTINEL_SUBCOMMAND_ARITY: ReadonlyMap<string, number> = new Map([
  ['ckquorum', 3],
  ['config', -3],
  ['debug', -2],
  ['failover', 3],
  ['flushconfig', 2],
  ['get-master-addr-by-name', 3],
  ['help', 2],
  ['info-cache', -3],
  ['is-master-down-by-addr', 6],
  ['master', 3],
  ['masters', 2],
  ['monitor', 6],
  ['myid', 2],
  ['pending-scripts', 2],
  ['remove', 3],
  ['replicas', 3],
  ['reset', 3],
  ['sentinels', 3],
  ['set', -5],
  ['simulate-failure', -3],
  ['slaves', 3],
]);

/**
 * processCommand's checks for `SENTINEL …`: the error to reply, or null when sentinelCommand
 * may run. The unknown name is quoted as typed (cut at 128 chars), the container upper-cased.
 */
export function sentinelSubcommandError(argv: readonly string[]): Reply | null {
  if (argv.length < 2) return err("ERR wrong number of arguments for 'sentinel' command");
  const sub = argv[1]!.toLowerCase();
  const arity = SENTINEL_SUBCOMMAND_ARITY.get(sub);
  if (arity === undefined) return err(`ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try SENTINEL HELP.`);
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
    return err(`ERR wrong number of arguments for 'sentinel|${sub}' command`);
  }
  return null;
}

/** sentinelCommand's help[] lines, in its order (not alphabetical: CONFIG SET precedes CONFIG GET). */
const SENTINEL_HELP_LINES = [
  'CKQUORUM <master-name>',
  '    Check if the current Sentinel configuration is able to reach the quorum',
  '    needed to failover a master and the majority needed to authorize the',
  '    failover.',
  'CONFIG SET <param> <value>',
  '    Set a global Sentinel configuration parameter.',
  'CONFIG GET <param>',
  '    Get global Sentinel configuration parameter.',
  'DEBUG [<param> <value> ...]',
  '    Show a list of configurable time parameters and their values (milliseconds).',
  '    Or update current configurable parameters values (one or more).',
  'GET-MASTER-ADDR-BY-NAME <master-name>',
  '    Return the ip and port number of the master with that name.',
  'FAILOVER <master-name>',
  '    Manually failover a master node without asking for agreement from other',
  '    Sentinels',
  'FLUSHCONFIG',
  '    Force Sentinel to rewrite its configuration on disk, including the current',
  '    Sentinel state.',
  'INFO-CACHE <master-name>',
  '    Return last cached INFO output from masters and all its replicas.',
  'IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>',
  "    Check if the master specified by ip:port is down from current Sentinel's",
  '    point of view.',
  'MASTER <master-name>',
  '    Show the state and info of the specified master.',
  'MASTERS',
  '    Show a list of monitored masters and their state.',
  'MONITOR <name> <ip> <port> <quorum>',
  '    Start monitoring a new master with the specified name, ip, port and quorum.',
  'MYID',
  '    Return the ID of the Sentinel instance.',
  'PENDING-SCRIPTS',
  '    Get pending scripts information.',
  'REMOVE <master-name>',
  "    Remove master from Sentinel's monitor list.",
  'REPLICAS <master-name>',
  '    Show a list of replicas for this master and their state.',
  'RESET <pattern>',
  '    Reset masters for specific master name matching this pattern.',
  'SENTINELS <master-name>',
  '    Show a list of Sentinel instances for this master and their state.',
  'SET <master-name> <option> <value> [<option> <value> ...]',
  '    Set configuration parameters for certain masters.',
  'SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]',
  '    Simulate a Sentinel crash.',
];

/** addReplyHelp: a header naming the command, the lines, and HELP itself — all status replies. */
export function sentinelHelpReply(): Reply {
  const lines = [
    'SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    ...SENTINEL_HELP_LINES,
    'HELP',
    '    Prints this help.',
  ];
  return array(lines.map((l) => status(l)));
}
