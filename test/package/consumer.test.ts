/**
 * replsim used from another project, the way README "Use replsim in your project" says:
 * `npm pack`, the tarball installed in a throwaway project (its dependencies linked from
 * this checkout's node_modules, so it works offline), the README's code block type-checked
 * with `tsc --strict` against the shipped declarations and run with vitest. The old one-liner
 * `(s) => expect(…).toBe(true)` is run too and must fail: that is why the README uses a block.
 *
 * Needs dist/ (npm ci runs `prepare`, which builds it); skipped without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'sim', 'index.d.ts'));
const tmp = mkdtempSync(join(tmpdir(), 'replsim-consumer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The first ```ts block after the README's "run as is" marker. */
function readmeSnippet(): string {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  const at = text.indexOf('test/package/consumer.test.ts');
  const m = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (at < 0 || !m) throw new Error('README: no tested ```ts block after the marker');
  return m[1]!;
}

function run(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, timeout: 240_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A project with replsim installed from its tarball and the tools it needs linked in. */
function project(): string {
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], root);
  expect(pack.code, pack.out).toBe(0);
  const tarball = join(tmp, (JSON.parse(pack.out.slice(pack.out.indexOf('['))) as Array<{ filename: string }>)[0]!.filename);
  const proj = join(tmp, 'proj');
  const pkgDir = join(proj, 'node_modules', 'replsim');
  mkdirSync(pkgDir, { recursive: true });
  expect(run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], proj).code).toBe(0);
  const deps = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  for (const name of [...deps, 'vitest', '@fast-check/vitest', 'fast-check', 'typescript', '@types/node']) {
    const link = join(proj, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(realpathSync(join(root, 'node_modules', name)), link, 'dir');
  }
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
    include: ['test/**/*.ts'],
  }));
  mkdirSync(join(proj, 'test'));
  // The README's property draws fresh scenarios on each run; here its seed is pinned (a
  // setup file, so the snippet stays as printed) and CI checks the same 20 cases each time.
  // Generated scenarios are the fuzzer's business (npm test runs it with fixed seeds).
  writeFileSync(join(proj, 'vitest.config.mjs'), "export default { test: { setupFiles: ['./pin-seed.mjs'] } };\n");
  writeFileSync(join(proj, 'pin-seed.mjs'), "import fc from 'fast-check';\nfc.configureGlobal({ seed: 20261207 });\n");
  return proj;
}

describe.skipIf(!built)('replsim in a throwaway project', () => {
  it('ships what the README promises: declarations that type-check strictly, and the tested snippet passes', () => {
    const proj = project();
    writeFileSync(join(proj, 'test', 'replication.test.ts'), readmeSnippet());
    const tsc = run(process.execPath, [join(proj, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', proj], proj);
    expect(tsc.out).toBe('');
    expect(tsc.code).toBe(0);
    const vitest = run(process.execPath, [join(proj, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', proj], proj);
    expect(vitest.out).toMatch(/1 passed/);
    expect(vitest.code).toBe(0);

    // The one-liner the README used to show returns expect's value to fast-check.
    const oneLiner = readmeSnippet().replace(/\(s: Scenario\) => \{[\s\S]*?\n\}, 60_000\);.*/, '(s: Scenario) => expect(runScenario(s).ok).toBe(true), 60_000);');
    expect(oneLiner).toMatch(/=> expect\(runScenario\(s\)\.ok\)\.toBe\(true\), 60_000\);/);
    writeFileSync(join(proj, 'test', 'replication.test.ts'), oneLiner);
    const old = run(process.execPath, [join(proj, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', proj], proj);
    expect(old.out).toMatch(/1 failed/);
  }, 300_000);
});
