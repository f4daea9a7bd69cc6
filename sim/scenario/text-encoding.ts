/**
 * Scenario bytes → text. A scenario is UTF-8 (YAML 1.2 allows UTF-16 too, but editors that
 * write it are rare and the result would be echoed as one garbled line): a UTF-16 file,
 * a binary file or a file with invalid UTF-8 is named as such, with where it goes wrong,
 * instead of being decoded into replacement characters.
 */
import { ScenarioError } from './errors.js';

export function decodeScenarioBytes(bytes: Uint8Array, file: string | null): string {
  const fail = (line: number, col: number, message: string, hint: string): never => {
    throw new ScenarioError([{ file, line, col, path: '', message, hint }]);
  };
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    fail(1, 1, `the file is UTF-16 encoded (byte-order mark ${b0 === 0xff ? 'FF FE' : 'FE FF'})`, 'save it as UTF-8 (iconv -f UTF-16 -t UTF-8, or your editor\'s "encoding" menu)');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // UTF-16 without a byte-order mark puts a zero beside every ASCII character.
    const zerosAtOneParity = countZeros(bytes, nul % 2);
    if (zerosAtOneParity * 2 >= bytes.length * 0.8) fail(1, 1, 'the file looks UTF-16 encoded (every other byte is zero)', 'save it as UTF-8');
    const { line, col } = lineCol(bytes, nul);
    fail(line, col, 'the file contains a NUL byte: it is not a text file', 'a scenario is a YAML text file (scenarios/FORMAT.md)');
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const { line, col } = lineCol(bytes, bad);
    fail(line, col, `invalid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad})`, 'save the file as UTF-8; it may be in Latin-1 or another legacy encoding');
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

function countZeros(bytes: Uint8Array, parity: number): number {
  let n = 0;
  for (let i = parity; i < bytes.length; i += 2) if (bytes[i] === 0) n++;
  return n;
}

/** 1-based line and column (in bytes) of `offset`. */
function lineCol(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}
