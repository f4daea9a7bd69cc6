import { describe, expect, it } from 'vitest';
import { encodeArgv, RespParser } from '../../sim/diff/resp-client.js';

describe('RESP2 parser', () => {
  it('decodes every reply type, across chunk boundaries', () => {
    const wire = Buffer.from('+OK\r\n-ERR bad\r\n:42\r\n$3\r\nfoo\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n*-1\r\n$0\r\n\r\n');
    const p = new RespParser();
    const out = [];
    for (let i = 0; i < wire.length; i++) {
      p.feed(wire.subarray(i, i + 1));
      for (let r = p.next(); r !== undefined; r = p.next()) out.push(r);
    }
    expect(out).toEqual([
      { type: 'status', text: 'OK' },
      { type: 'error', text: 'ERR bad' },
      { type: 'int', value: 42 },
      { type: 'bulk', value: 'foo' },
      { type: 'bulk', value: null },
      { type: 'array', items: [{ type: 'bulk', value: 'a' }, { type: 'int', value: 1 }] },
      { type: 'array', items: null },
      { type: 'bulk', value: '' },
    ]);
  });

  it('encodes commands as multibulk with byte lengths', () => {
    expect(encodeArgv(['SET', 'k', 'é']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\xc3\xa9\r\n');
  });
});
