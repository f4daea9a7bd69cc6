/**
 * Output directories (`fuzz --out`, `sweep --out`, `report --out`) are made and proven
 * writable before any work starts: a campaign must not run for an hour and then fail to
 * write its summary because --out names a file, a read-only place or /proc.
 */

/**
 * mkdir -p, one level at a time. Node's own recursive mkdirSync never returns for a path
 * under /proc (the kernel answers ENOENT for the parent it has just "created").
 */
function makeDirs(path: string): void {
  const missing: string[] = [];
  let p = path;
  for (;;) {
    let isDir: boolean | null;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      // ENOTDIR: a file further up; the walk finds and names it.
      const code = (e as { code?: unknown }).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      isDir = null;
    }
    if (isDir === true) break;
    if (isDir === false) throw Object.assign(new Error(`${p} is not a directory`), { code: 'ENOTDIR', path: p });
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Creates `dir` (and its parents) and writes and removes a probe file in it; returns why it cannot be used, or null. */
export function outputDirProblem(dir: string): string | null {
  try {
    makeDirs(resolve(dir));
    const probe = join(dir, `.replsim-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return null;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const path = (e as { path?: unknown }).path;
    const where = typeof path === 'string' ? path : dir;
    switch (code) {
      case 'ENOTDIR':
      case 'EEXIST':
        return `cannot use ${dir} as the output directory: ${where} is a file, not a directory`;
      case 'EACCES':
      case 'EPERM':
        return `cannot write to the output directory ${dir}: permission denied (${where})`;
      case 'EROFS':
        return `cannot write to the output directory ${dir}: read-only file system`;
      case 'ENOSPC':
        return `cannot write to the output directory ${dir}: no space left on the device`;
      case 'ENOENT':
        return `cannot write files in the output directory ${dir} (${where}: no such file or directory; a special file system like /proc?)`;
      default:
        return `cannot use the output directory ${dir}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
