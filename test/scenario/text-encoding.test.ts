/**
 * Scenario bytes that are not UTF-8 text are named as such (issue 20: a UTF-16 file was
 * echoed as one 7,000-character line, invalid UTF-8 was silently replaced).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../sim/scenario/errors.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { decodeScenarioBytes, firstInvalidUtf8 } from '../../sim/scenario/text-encoding.js';

const text = 'name: t\nnodes:\n  m1: {}\n';

function refusal(bytes: Uint8Array): ScenarioError {
  try {
    decodeScenarioBytes(bytes, 'x.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected the bytes to be refused');
}

describe('decodeScenarioBytes', () => {
  it('UTF-16 with a byte-order mark, either endianness, is named, and the message is one short line', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.repeat(300), 'utf16le')]);
    const e = refusal(le);
    expect(e.message).toMatch(/^x\.yaml:1:1 the file is UTF-16 encoded \(byte-order mark FF FE\)\n {2}hint: save it as UTF-8/);
    expect(e.message.length).toBeLessThan(200);
    const be = Buffer.from(le);
    be.swap16();
    expect(refusal(be).message).toMatch(/UTF-16 encoded \(byte-order mark FE FF\)/);
  });
  it('UTF-16 without a byte-order mark is recognised by its zero bytes', () => {
    expect(refusal(Buffer.from(text, 'utf16le')).message).toMatch(/looks UTF-16 encoded/);
  });
  it('a NUL byte in otherwise ASCII text: not a text file, at its line and column', () => {
    expect(refusal(Buffer.from('name: t\nno\0des:\n')).message).toMatch(/^x\.yaml:2:3 the file contains a NUL byte/);
  });
  it('invalid UTF-8 (Latin-1 é) is named with its line, column and byte', () => {
    const latin1 = Buffer.from('name: caf\xe9\nnodes:\n  m1: {}\n', 'latin1');
    expect(refusal(latin1).message).toMatch(/^x\.yaml:1:10 invalid UTF-8 \(byte 0xe9 at offset 9\)/);
  });
  it('valid UTF-8 (é, emoji) passes, and a UTF-8 byte-order mark is dropped', () => {
    const s = 'name: café 🚀\n';
    expect(decodeScenarioBytes(Buffer.from(`\ufeff${s}`), 'x.yaml')).toBe(s);
  });
  it('firstInvalidUtf8 refuses overlong forms, surrogates, truncated sequences and bytes past U+10FFFF', () => {
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // U+D800
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // cut short
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // U+110000
    expect(firstInvalidUtf8(Buffer.from('é€😀', 'utf8'))).toBe(-1);
  });
});

describe('loadScenarioFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-encoding-'));
  it('refuses a file over the size limit without reading it all (even an endless one)', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `${text}#${'x'.repeat(3 * 1024 * 1024)}\n`);
    expect(() => loadScenarioFile(big)).toThrow(/larger than 2 MB/);
    expect(() => loadScenarioFile('/dev/zero')).toThrow(/larger than 2 MB/);
  });
});
