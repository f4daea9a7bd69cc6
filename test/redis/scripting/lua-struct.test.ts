/**
 * struct (lua-struct.ts) against redis-server 7.0.15: each script below was run with
 * redis-cli EVAL on the real server (a hex helper H in front, so binary output compares as
 * text); its reply lines as redis-cli printed them are the expected values: every integer
 * option in both byte orders and odd sizes, floats, alignment with `!`, strings (c, c0, s),
 * truncation of fractions and wrap of out-of-range values, unpack positions, size(), and the
 * error texts.
 */
import { describeLuaHexCases } from '../../helpers/lua-hex-cases.js';

const CASES: Array<[string, string[]]> = [
  ["return H(struct.pack('>i4', 1)) .. ' ' .. H(struct.pack('<i4', -2)) .. ' ' .. H(struct.pack('i', 258))", ["00000001 feffffff 02010000"]],
  ["return H(struct.pack('bBhHlLT', -1, 255, -2, 65535, -3, 4294967296, 7))", ["fffffefffffffdffffffffffffff00000000010000000700000000000000"]],
  ["return H(struct.pack('>bBhHlL', -1, 255, -2, 65535, -3, 4294967296))", ["fffffffefffffffffffffffffffd0000000100000000"]],
  ["return H(struct.pack('>i3I5i16', -5, 1099511627775, -1))", ["fffffbffffffffff0000000000000000ffffffffffffffff"]],
  ["return H(struct.pack('>fd', 1.5, 0.1)) .. ' ' .. H(struct.pack('<fd', -2.25, 1e300))", ["3fc000003fb999999999999a 000010c09c7500883ce4377e"]],
  ["return H(struct.pack('!>bi4bd', 1, 2, 3, 4.0))", ["010000000000000203000000000000004010000000000000"]],
  ["return H(struct.pack('!2bi4', 1, 2)) .. ' ' .. H(struct.pack('!4bhbl', 1, 2, 3, 4))", ["010002000000 01000200030000000400000000000000"]],
  ["return H(struct.pack('c3sc0x', 'abcdef', 'hi', 'whole'))", ["61626368690077686f6c6500"]],
  ["return H(struct.pack('>i2', 70000)) .. ' ' .. H(struct.pack('B', 2.9)) .. ' ' .. H(struct.pack('b', -2.9))", ["1170 02 fe"]],
  ["return {struct.unpack('>i4', struct.pack('>i4', -123456))}", ["-123456", "5"]],
  ["return {struct.unpack('bBhHlL', struct.pack('bBhHlL', -1, 255, -2, 65535, -3, 4294967296))}", ["-1", "255", "-2", "65535", "-3", "4294967296", "23"]],
  ["return {struct.unpack('>I3i3', '\\255\\255\\255\\255\\255\\255')}", ["16777215", "-1", "7"]],
  ["local a, b, c = struct.unpack('<fd', struct.pack('<fd', 1.5, 0.1)) return {tostring(a), tostring(b), c}", ["1.5", "0.1", "13"]],
  ["return {struct.unpack('c3sxc0', 'abcxy\\0z' .. '\\0' .. 'q')}", ["ERR user_script:1: format 'c0' needs a previous size script: df6e361c0ac6a4f4b8aa828c5bfb09c6d5d4fbef, on @user_script:1."]],
  ["return {struct.unpack('b c0', '\\3abcdef')}", ["abc", "5"]],
  ["return {struct.unpack('>h', '\\0\\1\\0\\2', 3)}", ["2", "5"]],
  ["return {struct.unpack('!4bi4', '\\1\\0\\0\\0\\0\\0\\0\\2')}", ["1", "33554432", "9"]],
  ["return {struct.size('bhi'), struct.size('!bhi'), struct.size('!8bd'), struct.size('c10'), struct.size('>i16'), struct.size('z')}", ["7", "8", "16", "10", "16", "0"]],
  ["return {pcall(struct.pack, 'i4')}", ["", "bad argument #2 to '?' (number expected, got nil)"]],
  ["return {pcall(struct.pack, 'q', 1)}", ["", "bad argument #1 to '?' (invalid format option 'q')"]],
  ["return {pcall(struct.pack, 'c5', 'ab')}", ["", "bad argument #3 to '?' (string too short)"]],
  ["return {pcall(struct.unpack, 'i4', 'ab')}", ["", "bad argument #2 to '?' (data string too short)"]],
  ["return {pcall(struct.unpack, 's', 'abc')}", ["", "unfinished string in data"]],
  ["return {pcall(struct.unpack, 'c0', 'abc')}", ["", "format 'c0' needs a previous size"]],
  ["return {pcall(struct.unpack, 'i', 'abcd', 0)}", ["", "bad argument #3 to '?' (offset must be 1 or greater)"]],
  ["return {pcall(struct.size, 's')}", ["", "bad argument #1 to '?' (option 's' has no fixed size)"]],
  ["return {pcall(struct.size, 'c0')}", ["", "bad argument #1 to '?' (option 'c0' has no fixed size)"]],
  ["return {pcall(struct.pack, '!3i', 1)}", ["", "alignment 3 is not a power of 2"]],
  ["return {pcall(struct.pack, 'i33', 1)}", ["", "integral size 33 is larger than limit of 32"]],
  ["return {pcall(struct.pack, '=i', 1)}", ["", "bad argument #1 to '?' (invalid format option '=')"]],
  ["return {struct.unpack('>l', struct.pack('>l', 2^53 + 2))}", ["9007199254740994", "9"]],
  ["return H(struct.pack('>L', -1)) .. ' ' .. H(struct.pack('<I', 2^32 + 5))", ["ffffffffffffffff 05000000"]],
];

describeLuaHexCases('struct as redis-server 7.0.15 answers', CASES);
