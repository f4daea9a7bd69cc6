/**
 * The INFO text's frame as redis-server 7.0.15 writes it (genRedisInfoString): each section a
 * `# Title` line then its fields, every line CRLF-terminated, an empty line between sections; an
 * empty section is its title line alone (real: `INFO keyspace` on an empty server is
 * "# Keyspace\r\n", and `INFO` ends with that line); an unknown section name gives "".
 */
import { describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/cluster.js';

function info(c: TestCluster, ...section: string[]): string {
  const r = c.cmd('m1', 'INFO', ...section);
  if (r.type !== 'bulk' || r.value === null) throw new Error('INFO did not answer a bulk string');
  return r.value;
}

describe('INFO text', () => {
  it('default: the sections in Redis order, an empty line between them, CRLF at the end', () => {
    const c = new TestCluster('nodes: { m1: {} }');
    const text = info(c);
    const titles = text.split('\r\n').filter((l) => l.startsWith('# '));
    expect(titles).toEqual(['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# Keyspace']);
    expect(text.endsWith('# Keyspace\r\n')).toBe(true);
    expect(text.endsWith('\r\n\r\n')).toBe(false);
    for (const block of text.slice(0, -2).split('\r\n\r\n')) {
      const [title, ...fields] = block.split('\r\n');
      expect(title).toMatch(/^# [A-Z][a-z]+$/);
      for (const f of fields) expect(f).toMatch(/^[a-z0-9_]+:/);
    }
  });

  it('one section by name, any case; a key in db0 fills Keyspace', () => {
    const c = new TestCluster('nodes: { m1: {} }');
    c.cmd('m1', 'SET', 'k', 'v');
    expect(info(c, 'KEYSPACE')).toBe('# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n');
    expect(info(c, 'replication').startsWith('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n')).toBe(true);
  });

  it('an empty section is its title line; an unknown one (names of Object.prototype too) is empty', () => {
    const c = new TestCluster('nodes: { m1: {} }');
    expect(info(c, 'keyspace')).toBe('# Keyspace\r\n');
    for (const name of ['nosuch', 'constructor', '__proto__', 'toString']) expect(info(c, name)).toBe('');
  });
});
