/**
 * A scripted Redis peer for Sentinel tests: answers PING, INFO (replication text built from
 * its role), PUBLISH / SUBSCRIBE (RESP2 pushes), AUTH, CLIENT SETNAME/KILL, CONFIG REWRITE,
 * SLAVEOF / REPLICAOF and MULTI … EXEC over the simulated network, so the Sentinel model can
 * be tested to the millisecond without the full RedisServer. A replica's link is "up" while
 * its master peer is alive and a master (after `syncDelayMs` from a SLAVEOF).
 */
import type { Simulator } from '../../sim/engine/simulator.js';
import type { Endpoint } from '../../sim/net/connection.js';
import type { Host } from '../../sim/net/host.js';
import type { Network } from '../../sim/net/network.js';
import { array, bulk, err, int, ok, status, type Reply } from '../../sim/redis/protocol/reply.js';
import type { WireMessage } from '../../sim/redis/wire.js';
import { replyBytes } from '../../sim/redis/protocol/resp.js';

interface PeerConn {
  ep: Endpoint;
  channels: Set<string>;
  multi: string[][] | null;
  name: string;
  authed: boolean;
}

export class FakeRedis {
  readonly name: string;
  readonly port: number;
  readonly host: Host;
  alive = false;
  runId = '';
  role: 'master' | 'slave' = 'master';
  masterHost: string | null = null;
  masterPort = 0;
  /** Virtual ms at which a replica's link comes up after SLAVEOF. */
  linkUpAtMs = 0;
  syncDelayMs = 0;
  offset = 0;
  priority = 100;
  replicaAnnounced = 1;
  /** When set, PING answers this instead of +PONG (e.g. err('LOADING …')). */
  pingReply: Reply | null = null;
  /** Every command received, as "argv joined" strings. */
  readonly received: string[] = [];
  readonly conns = new Set<PeerConn>();
  /** When set, commands are swallowed without a reply (a hung process whose socket is alive). */
  hung = false;
  /** requirepass: every command but AUTH gets -NOAUTH on a connection that has not authenticated. */
  requirepass: string | null = null;

  constructor(
    readonly sim: Simulator,
    readonly net: Network,
    readonly peers: Map<string, FakeRedis>,
    name: string,
    port = 6379,
  ) {
    this.name = name;
    this.port = port;
    this.host = net.hostOrUndefined(name) ?? net.addHost(name);
    peers.set(name, this);
  }

  boot(): this {
    this.alive = true;
    this.host.restart();
    this.runId = this.sim.random.stream('fake-redis:' + this.name).hex(40);
    this.host.listen(this.port, (ep) => this.accept(ep));
    return this;
  }

  crash(): void {
    this.alive = false;
    this.conns.clear();
    this.host.crash();
  }

  replicaOf(host: string, port: number): this {
    this.role = 'slave';
    this.masterHost = host;
    this.masterPort = port;
    this.linkUpAtMs = Math.floor(this.sim.now / 1000) + this.syncDelayMs;
    return this;
  }

  get linkUp(): boolean {
    if (this.role !== 'slave') return false;
    const m = this.peers.get(this.masterHost ?? '');
    return m !== undefined && m.alive && m.role === 'master' && m.port === this.masterPort && Math.floor(this.sim.now / 1000) >= this.linkUpAtMs;
  }

  private accept(ep: Endpoint): void {
    const c: PeerConn = { ep, channels: new Set(), multi: null, name: '', authed: false };
    this.conns.add(c);
    ep.onData = (p) => {
      const m = p as WireMessage;
      if (m.t === 'cmd') this.command(c, m.argv);
    };
    ep.onClose = () => this.conns.delete(c);
  }

  private send(c: PeerConn, r: Reply): void {
    if (c.ep.state === 'open') c.ep.send(replyBytes(r), { t: 'reply', reply: r } satisfies WireMessage);
  }

  private command(c: PeerConn, argv: string[]): void {
    this.received.push(argv.join(' '));
    if (this.hung) return;
    const name = argv[0]!.toUpperCase();
    if (this.requirepass !== null && !c.authed && name !== 'AUTH') {
      this.send(c, err('NOAUTH Authentication required.'));
      return;
    }
    if (c.multi !== null && name !== 'EXEC') {
      c.multi.push(argv);
      this.send(c, status('QUEUED'));
      return;
    }
    switch (name) {
      case 'MULTI':
        c.multi = [];
        return this.send(c, ok());
      case 'EXEC': {
        const q = c.multi ?? [];
        c.multi = null;
        const replies = q.map((a) => this.execute(c, a));
        this.send(c, array(replies));
        for (const a of q) this.afterEffects(c, a);
        return;
      }
      case 'SUBSCRIBE':
        for (const ch of argv.slice(1)) {
          c.channels.add(ch);
          this.send(c, array([bulk('subscribe'), bulk(ch), int(c.channels.size)]));
        }
        return;
      default:
        this.send(c, this.execute(c, argv));
        this.afterEffects(c, argv);
    }
  }

  private execute(c: PeerConn, argv: string[]): Reply {
    const name = argv[0]!.toUpperCase();
    switch (name) {
      case 'PING':
        return this.pingReply ?? status('PONG');
      case 'INFO':
        return bulk(this.infoText());
      case 'AUTH':
        if (this.requirepass !== null && argv[argv.length - 1] !== this.requirepass) {
          return err('WRONGPASS invalid username-password pair or user is disabled.');
        }
        c.authed = true;
        return ok();
      case 'CLIENT':
        if ((argv[1] ?? '').toUpperCase() === 'SETNAME') c.name = argv[2] ?? '';
        return (argv[1] ?? '').toUpperCase() === 'KILL' ? int(0) : ok();
      case 'CONFIG':
        return ok();
      case 'PUBLISH': {
        let n = 0;
        for (const other of this.conns) {
          if (other.channels.has(argv[1]!)) {
            this.send(other, array([bulk('message'), bulk(argv[1]!), bulk(argv[2]!)]));
            n++;
          }
        }
        return int(n);
      }
      case 'SLAVEOF':
      case 'REPLICAOF':
        if ((argv[1] ?? '').toUpperCase() === 'NO') {
          this.role = 'master';
          this.masterHost = null;
        } else this.replicaOf(argv[1]!, Number(argv[2]));
        return ok();
      default:
        return err(`ERR unknown command '${argv[0]}'`);
    }
  }

  /** CLIENT KILL TYPE normal|pubsub: every such connection but the caller is closed. */
  private afterEffects(c: PeerConn, argv: string[]): void {
    if (argv[0]!.toUpperCase() !== 'CLIENT' || (argv[1] ?? '').toUpperCase() !== 'KILL') return;
    const type = (argv[3] ?? '').toLowerCase();
    for (const other of [...this.conns]) {
      if (other === c) continue;
      const isPubsub = other.channels.size > 0;
      if ((type === 'pubsub') === isPubsub) {
        this.conns.delete(other);
        other.ep.close();
      }
    }
  }

  /** The replicas of this peer as its INFO lists them: peers replicating from it with a link up. */
  private replicas(): FakeRedis[] {
    return [...this.peers.values()].filter((p) => p !== this && p.alive && p.masterHost === this.name && p.masterPort === this.port && p.linkUp);
  }

  infoText(): string {
    const l = ['# Server', 'redis_version:7.0.15', `run_id:${this.runId}`, `tcp_port:${this.port}`, '', '# Replication'];
    if (this.role === 'master') {
      l.push('role:master');
      const rs = this.replicas();
      l.push(`connected_slaves:${rs.length}`);
      rs.forEach((r, i) => l.push(`slave${i}:ip=${r.name},port=${r.port},state=online,offset=${r.offset},lag=0`));
    } else {
      const up = this.linkUp;
      l.push('role:slave', `master_host:${this.masterHost}`, `master_port:${this.masterPort}`, `master_link_status:${up ? 'up' : 'down'}`);
      l.push(`master_last_io_seconds_ago:${up ? 0 : -1}`, 'master_sync_in_progress:0', `slave_read_repl_offset:${this.offset}`, `slave_repl_offset:${this.offset}`);
      if (!up) l.push('master_link_down_since_seconds:-1');
      l.push(`slave_priority:${this.priority}`, 'slave_read_only:1', `replica_announced:${this.replicaAnnounced}`, 'connected_slaves:0');
    }
    l.push(`master_repl_offset:${this.offset}`);
    return l.join('\r\n') + '\r\n';
  }
}
