/** Paths the bench needs, found from its own location (bench/*.ts under vitest, dist/bench/*.js when built). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the replsim checkout (package.json beside scenarios/) above the bench');
    dir = up;
  }
}

/** A compiled sibling of this module (dist/bench/NAME.js), or null when running the TypeScript sources. */
export function compiledSibling(name: string): string | null {
  const url = new URL(`./${name}.js`, import.meta.url);
  const path = fileURLToPath(url);
  return existsSync(path) ? path : null;
}
