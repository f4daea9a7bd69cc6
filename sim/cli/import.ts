/**
 * `replsim import DIR`: a scenario from captures of a real deployment (redis-cli INFO and
 * CONFIG GET files). Reads files only; connects to nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CaptureError } from '../import/captures.js';
import { importDeployment, type NodeFiles } from '../import/import-deployment.js';
import type { SentinelFiles } from '../import/sentinels.js';
import { EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { usageError } from './usage.js';

export const IMPORT_HELP = `Usage: replsim import DIR [options]

Writes a scenario that reproduces a real deployment, from files captured with redis-cli
(no connection is made). DIR holds, for each node, files named after it:

  <node>.info      redis-cli -h HOST -p PORT INFO everything > <node>.info
                   (append a second capture 10 s later for current rates and the
                   replication byte rate:  redis-cli … INFO everything >> <node>.info)
  <node>.config    redis-cli -h HOST -p PORT CONFIG GET '*' > <node>.config   (optional)
  <node>.bigkeys   redis-cli -h HOST -p PORT --bigkeys > <node>.bigkeys       (optional)

and, under Sentinel, for each Sentinel (a name of its own, e.g. s1):

  <s>.sentinel     redis-cli -h HOST -p 26379 SENTINEL MASTERS > <s>.sentinel
  <s>.info         redis-cli -h HOST -p 26379 INFO everything > <s>.info      (optional:
                   its port, when not 26379)
  <s>.sentinels    redis-cli -h HOST -p 26379 SENTINEL SENTINELS <master> > <s>.sentinels
                   (optional, on every Sentinel: adds the Sentinels not captured)
  <s>.replicas     redis-cli -h HOST -p 26379 SENTINEL REPLICAS <master> > <s>.replicas
                   (optional: checks the replicas Sentinel knows against the captures)

The topology comes from role, master_host/port and slaveN lines; every modelled
redis.conf option that differs from a scenario's default goes into config:; the dataset
from INFO keyspace and used_memory; the workload from cmdstat_* and master_repl_offset.
Each derived figure is printed with the INFO or CONFIG field it came from. With Sentinel
captures, the scenario gets sentinels: and sentinel: (monitor, quorum,
down-after-milliseconds, failover-timeout, parallel-syncs from SENTINEL MASTERS, each
master matched to a captured node by its address).

Options:
  --out FILE           write the scenario there (default: standard output)
  --address NAME=IP    a node's address, when several nodes listen on the same port
                       (repeatable)
  --name NAME          the scenario's name (default imported-deployment)
  --duration SECONDS   the scenario's duration (default 60)
  --any-version        also read captures of Redis 6.2 and 7.1+ (refused by default:
                       replsim models 7.0 and reads its INFO fields; figures from fields
                       whose meaning changed are then approximate)
  -h, --help           this text

Exit codes: 0 written, 2 bad usage or a capture that cannot be read.
`;

const KINDS = ['info', 'config', 'bigkeys', 'sentinel', 'sentinels', 'replicas'] as const;

type Capture = { file: string; text: string };
/** The files found for one name: a Redis node's, or a Sentinel's (it has a .sentinel). */
type CaptureFiles = NodeFiles & { sentinel?: Capture; sentinels?: Capture; replicas?: Capture };

export function importCommand(args: string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        out: { type: 'string' },
        address: { type: 'string', multiple: true },
        name: { type: 'string' },
        duration: { type: 'string' },
        'any-version': { type: 'boolean' },
      },
    });
  } catch (e) {
    return usageError(io, (e as Error).message, 'import');
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(IMPORT_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) return usageError(io, 'import needs one DIR of capture files', 'import');
  const dir = parsed.positionals[0]!;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return usageError(io, `${dir} is not a directory`, 'import');
  const addresses = new Map<string, string>();
  for (const a of v.address ?? []) {
    const m = /^([A-Za-z0-9_-]+)=(\S+)$/.exec(a);
    if (!m) return usageError(io, `--address ${a}: expected NAME=IP, e.g. --address r1=10.0.0.2`, 'import');
    addresses.set(m[1]!, m[2]!);
  }
  let durationSec = 60;
  if (v.duration !== undefined) {
    durationSec = Number(v.duration);
    if (!Number.isInteger(durationSec) || durationSec < 1 || durationSec > 86_400) return usageError(io, `--duration ${v.duration}: expected whole seconds from 1 to 86400`, 'import');
  }
  if (v.name !== undefined && !/^[A-Za-z0-9_.-]+$/.test(v.name)) return usageError(io, `--name ${v.name}: letters, digits, '.', '-' and '_' only`, 'import');

  const byNode = new Map<string, CaptureFiles>();
  const ignored: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const m = /^(.+)\.([a-z]+)$/.exec(entry);
    const kind = m?.[2] as (typeof KINDS)[number] | undefined;
    if (!m || kind === undefined || !KINDS.includes(kind)) {
      ignored.push(entry);
      continue;
    }
    const path = join(dir, entry);
    const text = readCapture(path);
    if (text === null) {
      io.stderr.write(`replsim: ${path}: not a UTF-8 text file (a redis-cli capture is plain text)\n`);
      return EXIT_USAGE;
    }
    const node = m[1]!;
    const files: Partial<CaptureFiles> = byNode.get(node) ?? { name: node };
    files[kind] = { file: path, text };
    byNode.set(node, files as CaptureFiles);
  }
  // A name with a SENTINEL MASTERS capture is a Sentinel; its INFO (if any) goes with it.
  const sentinels: SentinelFiles[] = [];
  for (const [name, f] of byNode) {
    if (f.sentinel === undefined) {
      const stray = f.sentinels ?? f.replicas;
      if (stray !== undefined) {
        io.stderr.write(`replsim: ${stray.file}: a Sentinel capture without ${join(dir, name)}.sentinel (its SENTINEL MASTERS)\n  hint: redis-cli -h HOST -p 26379 SENTINEL MASTERS > ${join(dir, name)}.sentinel\n`);
        return EXIT_USAGE;
      }
      continue;
    }
    const { sentinel, info, sentinels: peers, replicas } = f;
    sentinels.push({ name, sentinel, ...(info !== undefined ? { info } : {}), ...(peers !== undefined ? { sentinels: peers } : {}), ...(replicas !== undefined ? { replicas } : {}) });
    byNode.delete(name);
  }
  for (const [node, f] of byNode) {
    if (f.info === undefined) {
      io.stderr.write(`replsim: ${join(dir, node)}.info is missing: every node needs its INFO capture\n  hint: redis-cli -h HOST -p PORT INFO everything > ${join(dir, node)}.info\n`);
      return EXIT_USAGE;
    }
  }
  if (byNode.size === 0) return usageError(io, `${dir} holds no <node>.info files${ignored.length > 0 ? ` (found ${ignored.slice(0, 3).join(', ')}…)` : ''}`, 'import');
  for (const name of addresses.keys()) {
    if (!byNode.has(name)) return usageError(io, `--address ${name}=…: no capture named ${name}.info in ${dir}`, 'import');
  }
  let result;
  try {
    result = importDeployment([...byNode.values()], { addresses, durationSec, sentinels, anyVersion: v['any-version'] === true, ...(v.name !== undefined ? { scenarioName: v.name } : {}) });
  } catch (e) {
    if (e instanceof CaptureError) {
      io.stderr.write(`replsim: ${e.file}${e.line > 0 ? `:${e.line}` : ''}: ${e.message}\n  hint: ${e.hint}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  for (const d of result.derivations) io.stderr.write(`${d.node}  ${d.what} = ${d.value}   ← ${d.source}\n`);
  for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
  if (v.out !== undefined) {
    writeFileSync(v.out, result.text);
    io.stderr.write(`wrote ${v.out}; run it with: npx replsim run ${v.out}\n`);
  } else {
    io.stdout.write(result.text);
  }
  return EXIT_OK;
}

/** The file's text, or null when it is not UTF-8 (a UTF-16 capture from PowerShell, say). */
function readCapture(path: string): string | null {
  const buf = readFileSync(path);
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return null;
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD')) return null;
  return text.replace(/^\uFEFF/, '');
}

