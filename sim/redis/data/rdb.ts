/**
 * RDB images: what BGSAVE produces and a replica or a restarting server loads. The
 * dataset is a keyspace snapshot (taken at fork time); the aux fields carry the
 * replication info Redis writes (repl-stream-db, repl-id, repl-offset), which is what lets
 * a restarted replica PSYNC and a restarted master keep its history as replid2.
 */
import type { KeyspaceSnapshot } from './keyspace.js';

export interface RdbImage {
  snapshot: KeyspaceSnapshot;
  keys: number;
  /** Size of the file / stream payload. */
  bytes: number;
  /** Aux fields; replid null when the saver had no replication info to write. */
  replid: string | null;
  offset: number;
  streamDb: number;
  /** Virtual time the fork happened at. */
  createdAtUs: number;
}

/**
 * Who still needs a snapshot: the fork, dump files (several nodes' dump.rdb may be the same
 * RDB), messages in flight. The keyspace snapshot is copy-on-write and costs its dataset a
 * lookup per write until released, so it is released when the last holder lets go. The
 * count lives with the snapshot, so images that differ only in aux fields share it.
 */
const holders = new WeakMap<KeyspaceSnapshot, number>();

export function retainImage<T extends RdbImage>(img: T): T {
  holders.set(img.snapshot, (holders.get(img.snapshot) ?? 0) + 1);
  return img;
}

export function releaseImage(img: RdbImage): void {
  const n = holders.get(img.snapshot) ?? 0;
  if (n <= 0) return;
  holders.set(img.snapshot, n - 1);
  if (n === 1 && !img.snapshot.isReleased) img.snapshot.release();
}

/** dump.rdb is replaced: the new image is held by the disk, the old one let go. */
export function writeDumpFile(disk: { disk: RdbImage | null }, img: RdbImage): void {
  if (disk.disk === img) return;
  retainImage(img);
  const old = disk.disk;
  disk.disk = img;
  if (old) releaseImage(old);
}
