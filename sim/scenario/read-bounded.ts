/**
 * Reading an input file (a scenario, a MONITOR capture, a costs file, a fuzz summary) at
 * most `max` bytes, so that no file can make replsim read forever or wait forever:
 * /dev/zero and an endless pipe are cut at `max` + 1 bytes (the caller refuses them as too
 * large), and a named pipe (FIFO) is opened without blocking — open(2) of a FIFO waits for
 * a writer, which may never come. A FIFO with a writer (`<(generate-scenario)`, whose pipe
 * already has one) is read to its end however long the writer takes; a FIFO that no process
 * writes to within FIFO_WRITER_WAIT_MS is refused with an error whose code is ENOWRITER.
 */
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';

/** How long a FIFO may have no writer before it is refused. */
const FIFO_WRITER_WAIT_MS = 5000;
/** Poll period while a FIFO's writer has nothing to say yet. */
const FIFO_POLL_MS = 10;

/** The first `max` bytes of the file at `path` (fewer when it is shorter). File-system errors are thrown as they are. */
export function readAtMost(path: string, max: number): Buffer {
  const fifo = statSync(path).isFIFO();
  const fd = openSync(path, fifo ? constants.O_RDONLY | constants.O_NONBLOCK : constants.O_RDONLY);
  try {
    return fifo ? readFifo(fd, path, max) : readFd(fd, max);
  } finally {
    closeSync(fd);
  }
}

function readFd(fd: number, max: number): Buffer {
  const buf = Buffer.alloc(max);
  let n = 0;
  while (n < max) {
    const got = readSync(fd, buf, n, max - n, null);
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/**
 * A non-blocking FIFO: read(2) answers EAGAIN while a writer is connected but silent, and 0
 * while no writer is connected — before the first one opens it, or after the last closed it.
 * So 0 ends the file once a writer has been seen; before that it means "still no writer".
 */
function readFifo(fd: number, path: string, max: number): Buffer {
  const chunks: Buffer[] = [];
  let n = 0;
  let writerSeen = false;
  let waitedMs = 0;
  while (n < max) {
    const buf = Buffer.alloc(Math.min(64 * 1024, max - n));
    let got: number;
    try {
      got = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EAGAIN') throw e;
      writerSeen = true;
      sleepMs(FIFO_POLL_MS);
      continue;
    }
    if (got > 0) {
      writerSeen = true;
      chunks.push(buf.subarray(0, got));
      n += got;
      continue;
    }
    if (writerSeen) break;
    if (waitedMs >= FIFO_WRITER_WAIT_MS) {
      throw Object.assign(new Error(`ENOWRITER: no process wrote to the named pipe ${path} within ${FIFO_WRITER_WAIT_MS / 1000} s`), { code: 'ENOWRITER' });
    }
    sleepMs(FIFO_POLL_MS);
    waitedMs += FIFO_POLL_MS;
  }
  return Buffer.concat(chunks, n);
}

/** A synchronous pause (the loaders are synchronous; Atomics.wait blocks this thread only). */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
