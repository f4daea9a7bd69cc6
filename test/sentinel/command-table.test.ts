/**
 * The SENTINEL container's command table (arity, unknown subcommands) and SENTINEL HELP,
 * against the bytes a real redis-sentinel 7.0.15 answered on loopback (2026-12-07, raw RESP
 * in /work/notes/scmd/real-1.txt and real-2.txt).
 */
import { describe, expect, it } from 'vitest';
import { replyBytes } from '../../sim/redis/protocol/resp.js';
import { resp2 } from '../helpers/resp2-bytes.js';
import { SentinelWorld } from '../helpers/sentinel-world.js';

const REAL_HELP =
  '*49\r\n' +
  '+SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n' +
  '+CKQUORUM <master-name>\r\n' +
  '+    Check if the current Sentinel configuration is able to reach the quorum\r\n' +
  '+    needed to failover a master and the majority needed to authorize the\r\n' +
  '+    failover.\r\n' +
  '+CONFIG SET <param> <value>\r\n' +
  '+    Set a global Sentinel configuration parameter.\r\n' +
  '+CONFIG GET <param>\r\n' +
  '+    Get global Sentinel configuration parameter.\r\n' +
  '+DEBUG [<param> <value> ...]\r\n' +
  '+    Show a list of configurable time parameters and their values (milliseconds).\r\n' +
  '+    Or update current configurable parameters values (one or more).\r\n' +
  '+GET-MASTER-ADDR-BY-NAME <master-name>\r\n' +
  '+    Return the ip and port number of the master with that name.\r\n' +
  '+FAILOVER <master-name>\r\n' +
  '+    Manually failover a master node without asking for agreement from other\r\n' +
  '+    Sentinels\r\n' +
  '+FLUSHCONFIG\r\n' +
  '+    Force Sentinel to rewrite its configuration on disk, including the current\r\n' +
  '+    Sentinel state.\r\n' +
  '+INFO-CACHE <master-name>\r\n' +
  '+    Return last cached INFO output from masters and all its replicas.\r\n' +
  '+IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>\r\n' +
  '+    Check if the master specified by ip:port is down from current Sentinel\'s\r\n' +
  '+    point of view.\r\n' +
  '+MASTER <master-name>\r\n' +
  '+    Show the state and info of the specified master.\r\n' +
  '+MASTERS\r\n' +
  '+    Show a list of monitored masters and their state.\r\n' +
  '+MONITOR <name> <ip> <port> <quorum>\r\n' +
  '+    Start monitoring a new master with the specified name, ip, port and quorum.\r\n' +
  '+MYID\r\n' +
  '+    Return the ID of the Sentinel instance.\r\n' +
  '+PENDING-SCRIPTS\r\n' +
  '+    Get pending scripts information.\r\n' +
  '+REMOVE <master-name>\r\n' +
  '+    Remove master from Sentinel\'s monitor list.\r\n' +
  '+REPLICAS <master-name>\r\n' +
  '+    Show a list of replicas for this master and their state.\r\n' +
  '+RESET <pattern>\r\n' +
  '+    Reset masters for specific master name matching this pattern.\r\n' +
  '+SENTINELS <master-name>\r\n' +
  '+    Show a list of Sentinel instances for this master and their state.\r\n' +
  '+SET <master-name> <option> <value> [<option> <value> ...]\r\n' +
  '+    Set configuration parameters for certain masters.\r\n' +
  '+SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]\r\n' +
  '+    Simulate a Sentinel crash.\r\n' +
  '+HELP\r\n' +
  '+    Prints this help.\r\n';

describe('SENTINEL HELP', () => {
  it('is the 49 status lines of a real 7.0.15, byte for byte', () => {
    const w = new SentinelWorld();
    const r = w.call(w.sentinel('s1'), 'SENTINEL', 'help');
    expect(resp2(r)).toBe(REAL_HELP);
    expect(replyBytes(r)).toBe(REAL_HELP.length);
  });
});

describe('processCommand checks on SENTINEL (texts of a real 7.0.15)', () => {
  it.each([
    [['SENTINEL'], "ERR wrong number of arguments for 'sentinel' command"],
    [['SENTINEL', 'nosuch'], "ERR unknown subcommand 'nosuch'. Try SENTINEL HELP."],
    [['sentinel', 'NoSuch'], "ERR unknown subcommand 'NoSuch'. Try SENTINEL HELP."],
    [['SENTINEL', 'help', 'extra'], "ERR wrong number of arguments for 'sentinel|help' command"],
    [['SeNtInEl', 'MASTERS', 'x'], "ERR wrong number of arguments for 'sentinel|masters' command"],
    [['SENTINEL', 'master'], "ERR wrong number of arguments for 'sentinel|master' command"],
    [['SENTINEL', 'PENDING-SCRIPTS', 'x'], "ERR wrong number of arguments for 'sentinel|pending-scripts' command"],
    [['SENTINEL', 'INFO-CACHE'], "ERR wrong number of arguments for 'sentinel|info-cache' command"],
    [['SENTINEL', 'SIMULATE-FAILURE'], "ERR wrong number of arguments for 'sentinel|simulate-failure' command"],
    [['SENTINEL', 'CONFIG'], "ERR wrong number of arguments for 'sentinel|config' command"],
  ])('%j', (argv, text) => {
    const w = new SentinelWorld();
    expect(w.call(w.sentinel('s1'), ...argv)).toEqual({ type: 'error', text });
  });

  it('cuts an unknown name at 128 characters, as %.128s does', () => {
    const w = new SentinelWorld();
    const long = 'x'.repeat(200);
    expect(w.call(w.sentinel('s1'), 'SENTINEL', long)).toEqual({ type: 'error', text: `ERR unknown subcommand '${'x'.repeat(128)}'. Try SENTINEL HELP.` });
  });
});
