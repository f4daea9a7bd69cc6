/**
 * `.ci/run` runs on developers' machines too: it must not stop or restart a system service
 * (their own Redis), and it installs what the differential tests need — redis-server, and
 * redis-sentinel for the Sentinel differential tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = readFileSync(join(import.meta.dirname, '..', '..', '.ci', 'run'), 'utf8');
const code = script.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');

describe('.ci/run', () => {
  it('touches no system service', () => {
    expect(code).not.toMatch(/\b(service|systemctl|invoke-rc\.d|redis-cli\s+.*shutdown)\b/i);
  });
  it('installs redis-server and redis-sentinel when missing', () => {
    expect(code).toMatch(/command -v redis-server/);
    expect(code).toMatch(/command -v redis-sentinel/);
    expect(code).toMatch(/apt-get install -y -qq "\$\{missing\[@\]\}"/);
  });
});
