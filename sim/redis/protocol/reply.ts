/**
 * Command replies, as RESP2 types, and their redis-cli rendering.
 *
 * Scenario output and JSON show replies the way `redis-cli` prints them on a terminal
 * (cliFormatReplyTTY in redis-cli.c at 7.0.15), so a user can compare a run with a real
 * session line by line.
 *
 * Replies are treated as immutable: the helpers below hand out shared instances for the
 * common ones (OK, nil, 0, 1, small integers) so the hot path allocates nothing.
 */

export type Reply =
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'error'; readonly text: string }
  /** `text` is set only beyond ±2^53, where `value` cannot hold the exact 64-bit integer. */
  | { readonly type: 'int'; readonly value: number; readonly text?: string }
  | { readonly type: 'bulk'; readonly value: string | null }
  | { readonly type: 'array'; readonly items: readonly Reply[] | null };

const OK: Reply = Object.freeze({ type: 'status', text: 'OK' });
const PONG: Reply = Object.freeze({ type: 'status', text: 'PONG' });
const NIL: Reply = Object.freeze({ type: 'bulk', value: null });
const NIL_ARRAY: Reply = Object.freeze({ type: 'array', items: null });
const EMPTY_ARRAY: Reply = Object.freeze({ type: 'array', items: Object.freeze([]) });

const SMALL_INT_MIN = -2;
const SMALL_INT_MAX = 1024;
const SMALL_INTS: Reply[] = [];
for (let i = SMALL_INT_MIN; i <= SMALL_INT_MAX; i++) SMALL_INTS.push(Object.freeze({ type: 'int', value: i }));

export function ok(): Reply {
  return OK;
}
export function status(text: string): Reply {
  // +PONG: every Sentinel PINGs every instance every second.
  return text === 'OK' ? OK : text === 'PONG' ? PONG : { type: 'status', text };
}
/** An error reply; `text` starts with the error code (`ERR`, `WRONGTYPE`, `READONLY`, …). */
export function err(text: string): Reply {
  return { type: 'error', text };
}
export function int(n: number): Reply {
  if (n >= SMALL_INT_MIN && n <= SMALL_INT_MAX && Number.isInteger(n)) return SMALL_INTS[n - SMALL_INT_MIN]!;
  return { type: 'int', value: n };
}
/** An integer reply from a number or an int64 bigint (exact text kept beyond ±2^53). */
export function intExact(n: number | bigint): Reply {
  if (typeof n === 'number') return int(n);
  const value = Number(n);
  return Number.isSafeInteger(value) ? int(value) : { type: 'int', value, text: n.toString() };
}
export function bulk(s: string): Reply {
  return { type: 'bulk', value: s };
}
/** The RESP2 null bulk string `$-1`. */
export function nil(): Reply {
  return NIL;
}
export function nilArray(): Reply {
  return NIL_ARRAY;
}
export function array(items: readonly Reply[]): Reply {
  return items.length === 0 ? EMPTY_ARRAY : { type: 'array', items };
}
export function emptyArray(): Reply {
  return EMPTY_ARRAY;
}
export function bulkArray(values: readonly string[]): Reply {
  if (values.length === 0) return EMPTY_ARRAY;
  const items: Reply[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) items[i] = { type: 'bulk', value: values[i]! };
  return { type: 'array', items };
}

export function isError(r: Reply): r is { type: 'error'; text: string } {
  return r.type === 'error';
}

// ---------------------------------------------------------------------------------------------
// Shared error texts, exactly as Redis 7.0.15 sends them (server.c createSharedObjects and
// the command implementations). Verified against a real 7.0.15 in test/redis/commands.test.ts.

export const ERR_WRONGTYPE: Reply = Object.freeze({
  type: 'error',
  text: 'WRONGTYPE Operation against a key holding the wrong kind of value',
});
export const ERR_NOT_INTEGER: Reply = Object.freeze({ type: 'error', text: 'ERR value is not an integer or out of range' });
export const ERR_NOT_FLOAT: Reply = Object.freeze({ type: 'error', text: 'ERR value is not a valid float' });
export const ERR_SYNTAX: Reply = Object.freeze({ type: 'error', text: 'ERR syntax error' });
export const ERR_NOAUTH: Reply = Object.freeze({ type: 'error', text: 'NOAUTH Authentication required.' });
export const ERR_LOADING: Reply = Object.freeze({ type: 'error', text: 'LOADING Redis is loading the dataset in memory' });
export const ERR_NOT_POSITIVE: Reply = Object.freeze({
  type: 'error',
  text: 'ERR value is out of range, must be positive',
});

export function errArity(fullname: string): Reply {
  return err(`ERR wrong number of arguments for '${fullname}' command`);
}

// ---------------------------------------------------------------------------------------------
// redis-cli rendering

/**
 * Renders a reply the way redis-cli does on a TTY, without the final newline:
 * `OK`, `(integer) 1`, `"bar"`, `(nil)`, `(error) ERR …`, `(empty array)`, and numbered,
 * indented lines for arrays (`1) "a"` / `2) "b"`).
 */
export function formatReply(reply: Reply): string {
  const out = formatTTY(reply, '');
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}

function formatTTY(r: Reply, prefix: string): string {
  switch (r.type) {
    case 'error':
      return `(error) ${r.text}\n`;
    case 'status':
      return `${r.text}\n`;
    case 'int':
      return `(integer) ${r.text ?? r.value}\n`;
    case 'bulk':
      return r.value === null ? '(nil)\n' : `${quoteRepr(r.value)}\n`;
    case 'array': {
      if (r.items === null) return '(nil)\n';
      if (r.items.length === 0) return '(empty array)\n';
      const idxlen = String(r.items.length).length;
      const childPrefix = prefix + ' '.repeat(idxlen + 2);
      let out = '';
      for (let i = 0; i < r.items.length; i++) {
        // The first element's index follows the parent's own "N) " on the same line.
        out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(idxlen, ' ')}) `;
        out += formatTTY(r.items[i]!, childPrefix);
      }
      return out;
    }
  }
}

/**
 * sdscatrepr: a double-quoted string with C escapes; bytes that are not printable ASCII
 * (including every byte of a multi-byte UTF-8 character) become `\xHH`.
 */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      switch (c) {
        case 0x5c: out += '\\\\'; break;
        case 0x22: out += '\\"'; break;
        case 0x0a: out += '\\n'; break;
        case 0x0d: out += '\\r'; break;
        case 0x09: out += '\\t'; break;
        case 0x07: out += '\\a'; break;
        case 0x08: out += '\\b'; break;
        default:
          out += c >= 0x20 && c < 0x7f ? s[i] : hexByte(c);
      }
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      for (const b of utf8Bytes(cp)) out += hexByte(b);
    }
  }
  return out + '"';
}

function hexByte(b: number): string {
  return '\\x' + (b < 16 ? '0' : '') + b.toString(16);
}

function utf8Bytes(cp: number): number[] {
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}
