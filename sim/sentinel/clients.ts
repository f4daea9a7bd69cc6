/**
 * The connections a Sentinel serves on its port (clients, and other Sentinels' command
 * links): command dispatch for the commands Sentinel mode has, and its pub/sub — events are
 * published with the event type as channel; SUBSCRIBE / PSUBSCRIBE / UNSUBSCRIBE /
 * PUNSUBSCRIBE in RESP2, and the subscribed-context refusal, as redis-server does.
 */
import type { Endpoint } from '../net/index.js';
import { stringMatch } from '../redis/protocol/index.js';
import { array, bulk, err, int, ok, status, type Reply } from '../redis/protocol/index.js';
import { replyBytes, type ClientMessage as WireMessage } from '../redis/protocol/index.js';
import { sentinelCommand, sentinelInfoCommand, sentinelRoleCommand, sentinelPublishCommand } from './commands.js';
import type { SentinelProcess } from './sentinel.js';

export class ServedClient {
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  name = '';
  constructor(
    readonly id: number,
    /** null for the in-process caller (timeline `command:` steps). */
    readonly ep: Endpoint | null,
    /** Where replies go. */
    readonly out: (r: Reply) => void,
  ) {}
  get subscriptions(): number {
    return this.channels.size + this.patterns.size;
  }
}

/** The commands allowed while subscribed (RESP2), as processCommand words it. */
const SUBSCRIBED_ALLOWED = new Set(['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);

export class ServedClients {
  private readonly s: SentinelProcess;
  private readonly all = new Set<ServedClient>();
  private nextId = 1;
  /** INFO stats: connections accepted and commands processed since the process started. */
  totalConnections = 0;
  totalCommands = 0;

  get connected(): number {
    return this.all.size;
  }

  /** Channels and patterns with at least one subscriber (INFO stats pubsub_channels / pubsub_patterns). */
  pubsubCounts(): [number, number] {
    const ch = new Set<string>();
    const pa = new Set<string>();
    for (const c of this.all) {
      for (const x of c.channels) ch.add(x);
      for (const x of c.patterns) pa.add(x);
    }
    return [ch.size, pa.size];
  }

  constructor(s: SentinelProcess) {
    this.s = s;
  }

  accept(ep: Endpoint): void {
    const c = new ServedClient(this.nextId++, ep, (r) => {
      if (ep.state === 'open') ep.send(replyBytes(r), { t: 'reply', reply: r } satisfies WireMessage);
    });
    this.all.add(c);
    this.totalConnections++;
    ep.onData = (payload) => {
      const msg = payload as WireMessage;
      if (msg.t === 'cmd') this.execute(c, msg.argv);
    };
    ep.onClose = () => this.all.delete(c);
  }

  callInProcess(argv: readonly string[], done: (r: Reply) => void): void {
    const c = new ServedClient(0, null, done);
    this.execute(c, argv);
  }

  reset(): void {
    this.all.clear();
    this.nextId = 1;
    this.totalConnections = 0;
    this.totalCommands = 0;
  }

  /** Delivers `msg` to every subscriber of `channel` (and matching patterns). */
  publish(channel: string, msg: string): number {
    if (this.all.size === 0) return 0;
    let n = 0;
    for (const c of this.all) {
      if (c.subscriptions === 0) continue;
      if (c.channels.has(channel)) {
        c.out(array([bulk('message'), bulk(channel), bulk(msg)]));
        n++;
      }
      for (const p of c.patterns) {
        if (stringMatch(p, channel)) {
          c.out(array([bulk('pmessage'), bulk(p), bulk(channel), bulk(msg)]));
          n++;
        }
      }
    }
    return n;
  }

  private execute(c: ServedClient, argv: readonly string[]): void {
    const s = this.s;
    if (argv.length === 0) return;
    this.totalCommands++;
    const name = argv[0]!.toLowerCase();
    if (c.subscriptions > 0 && !SUBSCRIBED_ALLOWED.has(name)) {
      c.out(
        err(`ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`),
      );
      return;
    }
    switch (name) {
      case 'ping':
        if (c.subscriptions > 0) c.out(array([bulk('pong'), bulk(argv[1] ?? '')]));
        else c.out(argv.length > 1 ? bulk(argv[1]!) : status('PONG'));
        return;
      case 'sentinel':
        c.out(sentinelCommand(s, argv));
        return;
      case 'info':
        c.out(sentinelInfoCommand(s, argv));
        return;
      case 'role':
        c.out(sentinelRoleCommand(s));
        return;
      case 'publish':
        c.out(argv.length !== 3 ? arity('publish') : sentinelPublishCommand(s, argv[1]!, argv[2]!));
        return;
      case 'subscribe':
      case 'psubscribe': {
        if (argv.length < 2) return c.out(arity(name));
        const set = name === 'subscribe' ? c.channels : c.patterns;
        for (let i = 1; i < argv.length; i++) {
          set.add(argv[i]!);
          c.out(array([bulk(name), bulk(argv[i]!), int(c.subscriptions)]));
        }
        return;
      }
      case 'unsubscribe':
      case 'punsubscribe': {
        const set = name === 'unsubscribe' ? c.channels : c.patterns;
        const which = argv.length > 1 ? argv.slice(1) : [...set];
        if (which.length === 0) c.out(array([bulk(name), { type: 'bulk', value: null }, int(c.subscriptions)]));
        for (const ch of which) {
          set.delete(ch);
          c.out(array([bulk(name), bulk(ch), int(c.subscriptions)]));
        }
        return;
      }
      case 'client': {
        const sub = (argv[1] ?? '').toLowerCase();
        if (sub === 'setname' && argv.length === 3) {
          c.name = argv[2]!;
          return c.out(ok());
        }
        if (sub === 'getname') return c.out(c.name === '' ? { type: 'bulk', value: null } : bulk(c.name));
        if (sub === 'id') return c.out(int(c.id));
        return c.out(err(`ERR unknown subcommand '${argv[1] ?? ''}'. Try CLIENT HELP.`));
      }
      case 'auth':
        return c.out(
          err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
        );
      case 'quit':
        c.out(ok());
        c.ep?.close();
        return;
      default:
        c.out(
          err(`ERR unknown command '${argv[0]}', with args beginning with: ${argv.slice(1).map((a) => `'${a}' `).join('')}`),
        );
    }
  }
}

function arity(name: string): Reply {
  return err(`ERR wrong number of arguments for '${name}' command`);
}
